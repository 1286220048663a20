import { SERVICE_NAMES, type ServiceName } from '../services.js';

/**
 * Everyone who connects to NATS: the gateway and the six services. Each has its own credential (an nkey) and
 * its own permissions (docs/security.md "The bus"); the same key signs its calls and its events.
 */
export const BUS_IDENTITIES = ['gateway', ...SERVICE_NAMES] as const;
export type BusIdentity = (typeof BUS_IDENTITIES)[number];
export const isBusIdentity = (s: string): s is BusIdentity => (BUS_IDENTITIES as readonly string[]).includes(s);

/**
 * Where an identity receives replies. Only that identity may subscribe below it, so a request's answer
 * (which may carry a password or a secret value) reaches nobody else.
 */
export const inboxPrefixOf = (identity: BusIdentity): string => `_INBOX.${identity}`;

/** The service that owns a request/reply subject (`vault.secret.get` -> vault). */
export const rpcOwnerOf = (subject: string): string => subject.split('.')[0]!;

/** The service that owns an event subject (`evt.tenants.tenant.deleting` -> tenants, `audit.vault.x` -> vault). */
export const eventOwnerOf = (subject: string): string => subject.split('.')[1] ?? '';

export type { ServiceName };
