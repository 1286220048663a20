import type { NotificationKind, SecretEventData } from '@lockwell/contracts';
import type { Audience, NewNotification, NotificationData } from '../notification/notification.js';
import type { WatchedSecret } from './watched-secret.js';

type SecretFacts = Pick<
  WatchedSecret,
  'secret_id' | 'tenant_id' | 'owner_id' | 'service_name' | 'secret_key_name' | 'environment' | 'type' | 'version'
> & {
  expires_at: Date | string | null;
  deletion_scheduled_at: Date | string | null;
};

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The facts a secret's messages are written from: names and dates, never a value. */
export function secretData(s: SecretFacts, extra: NotificationData = {}): NotificationData {
  return {
    secret_id: s.secret_id,
    scope: s.tenant_id ? 'tenant' : 'user',
    service_name: s.service_name,
    secret_key_name: s.secret_key_name,
    environment: s.environment,
    type: s.type,
    version: s.version,
    expires_at: iso(s.expires_at),
    deletion_scheduled_at: iso(s.deletion_scheduled_at),
    ...extra,
  };
}

/**
 * A notification about a secret: a tenant secret's people (`tenantAudience`: the writers for reminders, the
 * owners and admins for alerts), or a personal secret's owner.
 */
export function secretNotice(
  kind: NotificationKind,
  dedupeKey: string,
  s: SecretFacts,
  tenantAudience: Audience,
  extra: NotificationData = {},
): NewNotification {
  return {
    dedupeKey,
    kind,
    audience: s.tenant_id ? tenantAudience : 'user',
    tenantId: s.tenant_id,
    userId: s.tenant_id ? null : s.owner_id,
    resourceId: s.secret_id,
    data: secretData(s, extra),
  };
}

/** The event's facts as a watched secret (the version is new to us since the event's time). */
export function watchedFrom(e: SecretEventData, occurredAt: string): WatchedSecret {
  const at = new Date(occurredAt);
  return {
    secret_id: e.secret_id,
    tenant_id: e.tenant_id,
    owner_id: e.owner_id,
    service_name: e.service_name,
    secret_key_name: e.secret_key_name,
    environment: e.environment,
    type: e.type,
    version: e.version,
    status: e.status,
    expires_at: e.expires_at ? new Date(e.expires_at) : null,
    deletion_scheduled_at: e.deletion_scheduled_at ? new Date(e.deletion_scheduled_at) : null,
    rotation_interval_days: e.rotation_interval_days ?? null,
    version_since: at,
    last_event_at: at,
  };
}
