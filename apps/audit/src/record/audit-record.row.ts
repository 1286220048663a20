import type { AuditExportedRecord, AuditRecord } from '@lockwell/contracts';

/** The chain of installation-wide events (no tenant); every tenant's chain is named by its id. */
export const GLOBAL_CHAIN = 'global';
export const chainOf = (tenantId: string | null): string => tenantId ?? GLOBAL_CHAIN;

/** One row of `audit_records` (plain rows: the table is written by INSERT only, never through a unit of work). */
export interface AuditRecordRow {
  id: string;
  chain: string;
  seq: number;
  time: Date;
  tenant_id: string | null;
  service: string;
  actor_type: AuditRecord['actor']['type'];
  actor_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  outcome: AuditRecord['outcome'];
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  recorded_at: Date;
}

/** node-postgres returns bigint as text: rows are normalised here, once. */
export const fromDb = (r: AuditRecordRow): AuditRecordRow => ({
  ...r,
  seq: Number(r.seq),
  time: new Date(r.time),
  recorded_at: new Date(r.recorded_at),
});

/** The API's view of a record (docs/api.md "Notifications and audit"); also the heart of its canonical form. */
export function toAuditRecord(r: Omit<AuditRecordRow, 'hash' | 'recorded_at'>): AuditRecord {
  return {
    id: r.id,
    time: r.time.toISOString(),
    tenant_id: r.tenant_id,
    actor: { type: r.actor_type, id: r.actor_id },
    action: r.action,
    resource_type: r.resource_type,
    resource_id: r.resource_id,
    outcome: r.outcome,
    request_id: r.request_id,
    ip: r.ip,
    user_agent: r.user_agent,
    detail: r.detail,
  };
}

export const toExported = (r: AuditRecordRow): AuditExportedRecord => ({
  ...toAuditRecord(r),
  chain: r.chain,
  sequence: r.seq,
  previous_hash: r.prev_hash,
  hash: r.hash,
});
