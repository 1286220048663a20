import {
  ApiTokenRevoked,
  RoleChanged,
  SessionsRevoked,
  UserChanged,
  UserDeleted,
} from '../identity/access.contracts.js';
import { SigningKeysChanged } from '../identity/auth.contracts.js';
import {
  ConnectorsTenantPurged,
  MembershipChanged,
  NotificationsTenantPurged,
  TenantDeleting,
  VaultTenantPurged,
} from '../tenants/membership.contracts.js';
import { STREAMS } from '../events.js';
import { defineConsumer, defineListener, defineStreamConsumer } from './subscriptions.js';

// Who listens to which event, declared once. The bus permissions (bus-policy.ts) are derived from these
// lines: a service can consume only what is declared here, under the declared durable name.

/** Durable consumers (each service's replicas share the work; nothing is lost while it is down). */
export const CONSUMERS = {
  vaultTenantDeleting: defineConsumer('vault', 'tenant-deleting', TenantDeleting),
  vaultUserDeleted: defineConsumer('vault', 'user-deleted', UserDeleted),
  connectorsTenantPurge: defineConsumer('connectors', 'tenant-purge', TenantDeleting),
  connectorsUserDeleted: defineConsumer('connectors', 'user-deleted', UserDeleted),
  notificationsTenantPurge: defineConsumer('notifications', 'tenant-purge', TenantDeleting),
  tenantsDeletionVault: defineConsumer('tenants', 'deletion-vault', VaultTenantPurged),
  tenantsDeletionConnectors: defineConsumer('tenants', 'deletion-connectors', ConnectorsTenantPurged),
  tenantsDeletionNotifications: defineConsumer('tenants', 'deletion-notifications', NotificationsTenantPurged),
  tenantsUserDeleted: defineConsumer('tenants', 'user-deleted', UserDeleted),
} as const;

/** The audit service reads the whole audit stream from its start, so it also ingests what accumulated before it ran. */
export const AUDIT_RECORDS_CONSUMER = defineStreamConsumer('audit', 'records', STREAMS.AUDIT.name);

/** Every gateway replica hears these to drop cached principals, grants and keys (README "Revocation"). */
export const GATEWAY_LISTENERS = [
  SessionsRevoked,
  UserChanged,
  MembershipChanged,
  RoleChanged,
  ApiTokenRevoked,
  SigningKeysChanged,
].map((event) => defineListener('gateway', event));
