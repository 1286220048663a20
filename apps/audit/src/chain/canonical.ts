import { createHash } from 'node:crypto';
import { toAuditRecord, type AuditRecordRow } from '../record/audit-record.row.js';

/** The `previous_hash` of the first record of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export type HashedFields = Omit<AuditRecordRow, 'hash' | 'recorded_at'>;

/**
 * The canonical form of a record (docs/audit.md "Hash chains"): every field that the API shows, plus its chain,
 * position, emitting service and the previous record's hash, as canonical JSON (times as ISO-8601 UTC with
 * milliseconds). Its SHA-256 is the record's hash, so changing any of them, or the order, breaks the chain.
 */
export function canonicalForm(r: HashedFields): string {
  return canonicalJson({
    v: 1,
    ...toAuditRecord(r),
    chain: r.chain,
    sequence: r.seq,
    service: r.service,
    previous_hash: r.prev_hash,
  });
}

export const recordHash = (r: HashedFields): string =>
  createHash('sha256').update(canonicalForm(r), 'utf8').digest('hex');
