import type { CallContext, SecretEventData } from '@lockwell/contracts';
import { toMetadata, type SecretRow } from '../record/secret.row.js';

/** Event payload of a secret: metadata only (never a value). */
export function secretEvent(row: SecretRow, ctx: CallContext | null): SecretEventData {
  const m = toMetadata(row);
  return {
    secret_id: m.id,
    scope: m.scope,
    tenant_id: m.tenant_id,
    owner_id: m.owner_id,
    service_name: m.service_name,
    secret_key_name: m.secret_key_name,
    type: m.type,
    environment: m.environment,
    version: m.version,
    status: m.status,
    expires_at: m.expires_at,
    deletion_scheduled_at: m.deletion_scheduled_at,
    rotation_interval_days: m.rotation_interval_days,
    actor_id: ctx?.principal?.userId ?? null,
  };
}
