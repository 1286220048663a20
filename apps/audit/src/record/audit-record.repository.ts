import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditExportQuery, AuditListQuery } from '@lockwell/contracts';
import type { KeysetPosition } from '@lockwell/service-kit';
import { fromDb, type AuditRecordRow } from './audit-record.row.js';

/** Which records a reader may see: one tenant's, or (installation auditors) everything. */
export type AuditScope = { tenantId: string } | { all: true };
type Filters = Omit<AuditExportQuery, 'tenant_id'>;

const COLUMNS = `id, chain, seq, time, tenant_id, service, actor_type, actor_id, action, resource_type, resource_id, outcome,
  request_id, ip, user_agent, detail, prev_hash, hash, recorded_at`;

function where(scope: AuditScope, f: Filters): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    clauses.push(clause);
    params.push(value);
  };
  if ('tenantId' in scope) add('tenant_id = ?', scope.tenantId);
  if (f.actor_id) add('actor_id = ?', f.actor_id);
  if (f.action) add('action = ?', f.action);
  if (f.resource_type) add('resource_type = ?', f.resource_type);
  if (f.resource_id) add('resource_id = ?', f.resource_id);
  if (f.outcome) add('outcome = ?', f.outcome);
  if (f.from) add('time >= ?', new Date(f.from));
  if (f.to) add('time < ?', new Date(f.to));
  return { sql: clauses.length ? clauses.join(' and ') : 'true', params };
}

/**
 * The `audit_records` table. A chain is named by its tenant (or `global`) and every chain query names it first;
 * reads name their scope (one tenant, or all for installation auditors). Writing is INSERT only: the table
 * refuses anything else (see the migration).
 */
@Injectable()
export class AuditRecordRepository {
  /** Serialises appends to one chain across replicas until the transaction ends. */
  async lockChain(em: EntityManager, chain: string): Promise<void> {
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 7120426))`, [`audit-chain:${chain}`]);
  }

  /** Which of `ids` the chain already holds. */
  async existing(em: EntityManager, chain: string, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await em.execute<{ id: string }[]>(`select id from audit_records where chain = ? and id in (?)`, [
      chain,
      ids,
    ]);
    return new Set(rows.map((r) => r.id));
  }

  /** The newest record of a chain (its position and hash), if any. */
  async head(em: EntityManager, chain: string): Promise<{ seq: number; hash: string; time: Date } | null> {
    const rows = await em.execute<{ seq: string; hash: string; time: Date }[]>(
      `select seq, hash, time from audit_records where chain = ? order by seq desc limit 1`,
      [chain],
    );
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash, time: new Date(rows[0].time) } : null;
  }

  /** The head of every chain (for the checkpoint job). */
  async heads(em: EntityManager): Promise<{ chain: string; seq: number; hash: string }[]> {
    const rows = await em.execute<{ chain: string; seq: string; hash: string }[]>(
      `select distinct on (chain) chain, seq, hash from audit_records order by chain, seq desc`,
    );
    return rows.map((r) => ({ chain: r.chain, seq: Number(r.seq), hash: r.hash }));
  }

  /**
   * Appends records to a chain in one statement; returns how many were written. An id already recorded in another
   * chain (an event replayed with a changed tenant) is skipped, so fewer than given means the caller's links are off.
   */
  async insert(em: EntityManager, chain: string, rows: Omit<AuditRecordRow, 'chain'>[]): Promise<number> {
    if (!rows.length) return 0;
    const values = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)').join(', ');
    const params = rows.flatMap((r) => [
      r.id,
      chain,
      r.seq,
      r.time,
      r.tenant_id,
      r.service,
      r.actor_type,
      r.actor_id,
      r.action,
      r.resource_type,
      r.resource_id,
      r.outcome,
      r.request_id,
      r.ip,
      r.user_agent,
      JSON.stringify(r.detail),
      r.prev_hash,
      r.hash,
      r.recorded_at,
    ]);
    const inserted = await em.execute<{ id: string }[]>(
      `insert into audit_records (${COLUMNS}) values ${values} on conflict (id) do nothing returning id`,
      params,
    );
    return inserted.length;
  }

  /** One page newest first, ordered by (time, id) descending, `limit + 1` rows (see pageFrom). */
  async list(
    em: EntityManager,
    scope: AuditScope,
    q: Omit<AuditListQuery, 'tenant_id' | 'cursor'> & { before?: KeysetPosition },
  ): Promise<AuditRecordRow[]> {
    const w = where(scope, q);
    const keyset = q.before ? ' and (time, id) < (?, ?)' : '';
    const rows = await em.execute<AuditRecordRow[]>(
      `select ${COLUMNS} from audit_records where ${w.sql}${keyset} order by time desc, id desc limit ?`,
      [...w.params, ...(q.before ? [q.before.at, q.before.id] : []), q.limit + 1],
    );
    return rows.map(fromDb);
  }

  /** One page oldest first (the export), `limit + 1` rows. */
  async exportPage(
    em: EntityManager,
    scope: AuditScope,
    q: Filters & { after?: KeysetPosition; limit: number },
  ): Promise<AuditRecordRow[]> {
    const w = where(scope, q);
    const keyset = q.after ? ' and (time, id) > (?, ?)' : '';
    const rows = await em.execute<AuditRecordRow[]>(
      `select ${COLUMNS} from audit_records where ${w.sql}${keyset} order by time asc, id asc limit ?`,
      [...w.params, ...(q.after ? [q.after.at, q.after.id] : []), q.limit + 1],
    );
    return rows.map(fromDb);
  }

  /** Up to `limit` records of a chain after position `afterSeq`, in chain order (the verifier's walk). */
  async walk(em: EntityManager, chain: string, afterSeq: number, limit: number): Promise<AuditRecordRow[]> {
    const rows = await em.execute<AuditRecordRow[]>(
      `select ${COLUMNS} from audit_records where chain = ? and seq > ? order by seq asc limit ?`,
      [chain, afterSeq, limit],
    );
    return rows.map(fromDb);
  }

  /** The chain's record at `seq`, if it is still there. */
  async at(em: EntityManager, chain: string, seq: number): Promise<AuditRecordRow | null> {
    const rows = await em.execute<AuditRecordRow[]>(
      `select ${COLUMNS} from audit_records where chain = ? and seq = ?`,
      [chain, seq],
    );
    return rows[0] ? fromDb(rows[0]) : null;
  }

  /**
   * Retention: for each chain, the newest checkpointed position older than `before` that is not the chain's
   * head (a chain always keeps its newest record), whose record is still there.
   */
  async prunablePrefixes(em: EntityManager, before: Date): Promise<{ chain: string; seq: number }[]> {
    const rows = await em.execute<{ chain: string; seq: string }[]>(
      `select c.chain, max(c.seq) as seq from audit_checkpoints c
         join audit_records r on r.chain = c.chain and r.seq = c.seq
        where r.time < ? and c.seq < (select max(h.seq) from audit_records h where h.chain = c.chain)
        group by c.chain`,
      [before],
    );
    return rows.map((r) => ({ chain: r.chain, seq: Number(r.seq) }));
  }

  /** Removes the chain's records up to `seq`, which must be a checkpoint (audit_prune refuses otherwise). */
  async prunePrefix(em: EntityManager, chain: string, seq: number): Promise<number> {
    const rows = await em.execute<{ removed: string }[]>(`select audit_prune(?, ?) as removed`, [chain, seq]);
    return Number(rows[0]?.removed ?? 0);
  }
}
