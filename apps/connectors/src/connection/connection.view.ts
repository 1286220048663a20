import type { Connection } from '@lockwell/contracts';
import type { ConnectionListRow } from './connection.repository.js';

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

export function connectionView(row: ConnectionListRow): Connection {
  return {
    id: row.id,
    service_id: row.service_id,
    service_name: row.service_name,
    service_slug: row.service_slug,
    tenant_id: row.tenant_id,
    user_id: row.user_id,
    status: row.status,
    scopes: row.scopes,
    expires_at: iso(row.expires_at),
    last_refreshed_at: iso(row.last_refreshed_at),
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
  };
}

/** What every connection event says about its connection. */
export const eventDataOf = (row: ConnectionListRow) => ({
  connection_id: row.id,
  service_id: row.service_id,
  service_name: row.service_name,
  tenant_id: row.tenant_id,
  user_id: row.user_id,
});
