import type { SecretMetadata, SecretScope, SecretStatus, SecretType } from '@lockwell/contracts';
import type { Scope } from '../keys/scope.js';

/** A `secrets` row as PostgreSQL returns it. */
export interface SecretRow {
  id: string;
  scope_type: SecretScope;
  tenant_id: string | null;
  owner_id: string | null;
  service_name: string;
  secret_key_name: string;
  type: SecretType;
  environment: string;
  description: string | null;
  tags: string[];
  current_version: number;
  status: SecretStatus;
  expires_at: Date | null;
  expiry_notified_for: Date | null;
  deletion_scheduled_at: Date | null;
  last_accessed_at: Date | null;
  activity_at: Date;
  inactive_since: Date | null;
  rotation_interval_days: number | null;
  created_at: Date;
  updated_at: Date;
  created_by: string;
}

export const scopeOf = (row: Pick<SecretRow, 'scope_type' | 'tenant_id' | 'owner_id'>): Scope => ({
  type: row.scope_type,
  id: (row.scope_type === 'tenant' ? row.tenant_id : row.owner_id)!,
});

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** The public metadata of a row; `version` is the one shown (an older one for `?version=N`). */
export function toMetadata(row: SecretRow, version = row.current_version): SecretMetadata {
  return {
    id: row.id,
    scope: row.scope_type,
    tenant_id: row.tenant_id,
    owner_id: row.owner_id,
    service_name: row.service_name,
    secret_key_name: row.secret_key_name,
    type: row.type,
    environment: row.environment,
    description: row.description,
    tags: row.tags,
    version,
    status: row.status,
    expires_at: iso(row.expires_at),
    deletion_scheduled_at: iso(row.deletion_scheduled_at),
    last_accessed_at: iso(row.last_accessed_at),
    rotation_interval_days: row.rotation_interval_days,
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    created_by: row.created_by,
  };
}
