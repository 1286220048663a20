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
import {
  ApiTokenCreated,
  MasterKeyRotated,
  PasswordChanged,
  RefreshTokenReused,
} from '../notifications/alert.events.js';
import { ConnectionRefreshFailed } from '../connectors/connection.contracts.js';
import {
  InactiveSecretRead,
  SecretBecameInactive,
  SecretCreated,
  SecretDeleted,
  SecretDeletionCancelled,
  SecretDeletionScheduled,
  SecretRotated,
  SecretUpdated,
} from '../vault/secret.events.js';
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
  // notifications: the secrets it watches for reminders, and every fact that alerts someone (docs/notifications.md).
  notificationsSecretCreated: defineConsumer('notifications', 'secret-created', SecretCreated),
  notificationsSecretUpdated: defineConsumer('notifications', 'secret-updated', SecretUpdated),
  notificationsSecretRotated: defineConsumer('notifications', 'secret-rotated', SecretRotated),
  notificationsSecretDeleted: defineConsumer('notifications', 'secret-deleted', SecretDeleted),
  notificationsSecretInactive: defineConsumer('notifications', 'secret-inactive', SecretBecameInactive),
  notificationsSecretDeletionScheduled: defineConsumer(
    'notifications',
    'secret-deletion-scheduled',
    SecretDeletionScheduled,
  ),
  notificationsSecretDeletionCancelled: defineConsumer(
    'notifications',
    'secret-deletion-cancelled',
    SecretDeletionCancelled,
  ),
  notificationsSecretInactiveRead: defineConsumer('notifications', 'secret-inactive-read', InactiveSecretRead),
  notificationsMembershipChanged: defineConsumer('notifications', 'membership-changed', MembershipChanged),
  notificationsRoleChanged: defineConsumer('notifications', 'role-changed', RoleChanged),
  notificationsPasswordChanged: defineConsumer('notifications', 'password-changed', PasswordChanged),
  notificationsRefreshReuse: defineConsumer('notifications', 'refresh-reuse', RefreshTokenReused),
  notificationsApiTokenCreated: defineConsumer('notifications', 'api-token-created', ApiTokenCreated),
  notificationsMasterKeyRotated: defineConsumer('notifications', 'master-key-rotated', MasterKeyRotated),
  notificationsConnectionRefreshFailed: defineConsumer(
    'notifications',
    'connection-refresh-failed',
    ConnectionRefreshFailed,
  ),
  notificationsUserDeleted: defineConsumer('notifications', 'user-deleted', UserDeleted),
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
