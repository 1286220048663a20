import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';

/** One row of `audit_checkpoints`: a signed statement that chain `chain` had `record_count` records ending in `head_hash`. */
export interface CheckpointRow {
  id: string;
  chain: string;
  seq: number;
  head_hash: string;
  record_count: number;
  created_at: Date;
  signer: string;
  signature: string;
}

const fromDb = (r: CheckpointRow): CheckpointRow => ({
  ...r,
  seq: Number(r.seq),
  record_count: Number(r.record_count),
  created_at: new Date(r.created_at),
});

/** The `audit_checkpoints` table (INSERT only, like the records); every query names its chain first. */
@Injectable()
export class CheckpointRepository {
  async insert(em: EntityManager, chain: string, c: Omit<CheckpointRow, 'chain'>): Promise<void> {
    await em.execute(
      `insert into audit_checkpoints (id, chain, seq, head_hash, record_count, created_at, signer, signature) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (chain, seq) do nothing`,
      [c.id, chain, c.seq, c.head_hash, c.record_count, c.created_at, c.signer, c.signature],
    );
  }

  async latest(em: EntityManager, chain: string): Promise<CheckpointRow | null> {
    const rows = await em.execute<CheckpointRow[]>(
      `select * from audit_checkpoints where chain = ? order by seq desc limit 1`,
      [chain],
    );
    return rows[0] ? fromDb(rows[0]) : null;
  }

  /** The newest checkpoint of every chain (the job skips chains whose head has not moved since). */
  async latestOfEach(em: EntityManager): Promise<Map<string, number>> {
    const rows = await em.execute<{ chain: string; seq: string }[]>(
      `select chain, max(seq) as seq from audit_checkpoints group by chain`,
    );
    return new Map(rows.map((r) => [r.chain, Number(r.seq)]));
  }

  /** Every checkpoint of a chain at or after position `fromSeq`, oldest first. */
  async from(em: EntityManager, chain: string, fromSeq: number): Promise<CheckpointRow[]> {
    const rows = await em.execute<CheckpointRow[]>(
      `select * from audit_checkpoints where chain = ? and seq >= ? order by seq asc`,
      [chain, fromSeq],
    );
    return rows.map(fromDb);
  }
}
