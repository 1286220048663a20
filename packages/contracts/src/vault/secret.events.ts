import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';
import { defineEvent } from '../events.js';
import { SecretScope, SecretStatus, SecretType } from './secret.schemas.js';

/**
 * What every vault secret event carries: metadata for notifications and webhooks, never a value.
 * `owner_id` is set for personal secrets; tenant events go to the tenant's people.
 */
export const SecretEventData = z.object({
  secret_id: Uuid,
  scope: SecretScope,
  tenant_id: Uuid.nullable(),
  owner_id: Uuid.nullable(),
  service_name: z.string(),
  secret_key_name: z.string(),
  type: SecretType,
  environment: z.string(),
  version: z.number().int(),
  status: SecretStatus,
  expires_at: Timestamp.nullable(),
  deletion_scheduled_at: Timestamp.nullable(),
  /** Days after which the current version is due for rotation (notifications reminds); absent from older producers. */
  rotation_interval_days: z.number().int().nullable().optional(),
  /** The user behind the change (null for the lifecycle job). */
  actor_id: Uuid.nullable(),
});
export type SecretEventData = z.infer<typeof SecretEventData>;

export const SecretCreated = defineEvent('evt.vault.secret.created', SecretEventData);
/** Metadata changed (names, environment, description, tags, expiry). */
export const SecretUpdated = defineEvent('evt.vault.secret.updated', SecretEventData);
/** The value changed: a new version (PUT with a value, or rollback). */
export const SecretRotated = defineEvent('evt.vault.secret.rotated', SecretEventData);
/** All versions destroyed (DELETE ?mode=now, or a scheduled deletion that came due). */
export const SecretDeleted = defineEvent('evt.vault.secret.deleted', SecretEventData);
/** expires_at is within LOCKWELL_EXPIRY_WARNING_DAYS; once per expiry date. */
export const SecretExpiring = defineEvent('evt.vault.secret.expiring', SecretEventData);
/** Not read for LOCKWELL_INACTIVE_AFTER_DAYS. */
export const SecretBecameInactive = defineEvent('evt.vault.secret.inactive', SecretEventData);
export const SecretDeletionScheduled = defineEvent('evt.vault.secret.deletion-scheduled', SecretEventData);
export const SecretDeletionCancelled = defineEvent('evt.vault.secret.deletion-cancelled', SecretEventData);
/** An inactive or scheduled secret was read: it is active again (and its deletion cancelled). An alert. */
export const InactiveSecretRead = defineEvent('evt.vault.secret.inactive-read', SecretEventData);
