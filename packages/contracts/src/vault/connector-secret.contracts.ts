import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';
import { defineRpc } from '../rpc.js';

// The vault's store for the connectors service (docs/connectors.md "Storage"): OAuth client credentials of a
// registered service and the tokens of each connection, sealed under the data key of their scope like any
// secret, but in a table of their own that no /user-secrets or /tenant-secrets route can reach. Only the
// connectors service may call these subjects (API-6, AZ-5); it authorises its callers itself.

export const ConnectorSecretKind = z.enum(['service_credential', 'connection_tokens']);
export type ConnectorSecretKind = z.infer<typeof ConnectorSecretKind>;

/**
 * Whose data key seals the item: the tenant or user owning a connection, or the service itself for its
 * credentials (deleting the service destroys that key).
 */
export const ConnectorSecretScope = z.object({ type: z.enum(['tenant', 'user', 'service']), id: Uuid });
export type ConnectorSecretScope = z.infer<typeof ConnectorSecretScope>;

/** Everything the ciphertext is bound to (OC-4): moved to another scope, service, connection or name it fails to open. */
export const ConnectorSecretOwner = z.object({
  kind: ConnectorSecretKind,
  scope: ConnectorSecretScope,
  service_id: Uuid,
  /** The connection for tokens, the service for credentials. */
  owner_id: Uuid,
});
export type ConnectorSecretOwner = z.infer<typeof ConnectorSecretOwner>;
const ItemName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);

/**
 * Writes a new version of one item. `expected_version`: the version the caller read (a mismatch is
 * PRECONDITION_FAILED, nothing written), null when the item must not exist yet, omitted to write regardless.
 * `keep_versions`: how many versions to keep (tokens keep only the newest; credentials keep their history).
 */
export const VaultConnectorSecretPut = defineRpc(
  'vault.connector-secret.put',
  ConnectorSecretOwner.extend({
    name: ItemName,
    value: z.string().min(1).max(65_536),
    expected_version: z.number().int().min(1).nullable().optional(),
    keep_versions: z.number().int().min(1).max(100).optional(),
  }),
  z.object({ version: z.number().int(), updated_at: Timestamp }),
  { callers: ['connectors'] },
);

/** The current value of every item of one owner (e.g. client_id and client_secret of a service). */
export const VaultConnectorSecretOpen = defineRpc(
  'vault.connector-secret.open',
  ConnectorSecretOwner,
  z.object({ items: z.array(z.object({ name: z.string(), value: z.string(), version: z.number().int() })) }),
  { callers: ['connectors'] },
);

/** Names, versions and times of an owner's items, never values. */
export const VaultConnectorSecretList = defineRpc(
  'vault.connector-secret.list',
  z.object({ kind: ConnectorSecretKind, owner_id: Uuid }),
  z.object({ items: z.array(z.object({ name: z.string(), version: z.number().int(), updated_at: Timestamp })) }),
  { callers: ['connectors'] },
);

/**
 * Destroys items: one owner's (a disconnected connection), or everything of a service (credentials, every
 * connection's tokens and the service's data key: crypto-shredding).
 */
export const VaultConnectorSecretDelete = defineRpc(
  'vault.connector-secret.delete',
  z.union([
    z.object({ service_id: Uuid, owner_id: Uuid, kind: ConnectorSecretKind }).strict(),
    z.object({ service_id: Uuid, everything: z.literal(true) }).strict(),
  ]),
  z.object({ deleted: z.number().int() }),
  { callers: ['connectors'] },
);
