import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeysetPosition } from '@lockwell/service-kit';

export interface Consumer {
  type: 'user' | 'api_token';
  id: string;
}

export interface UsageRow {
  consumer_type: 'user' | 'api_token';
  consumer_id: string;
  first_accessed_at: Date;
  last_accessed_at: Date;
  access_count: string;
}

/** The `secret_access` table (where-used), part of the secret aggregate: one row per (secret, consumer), upserted on every value read, by the id of a secret already loaded within the caller's reach. */
@Injectable()
export class SecretUsageRepository {
  async record(em: EntityManager, secretId: string, consumer: Consumer, now: Date): Promise<void> {
    await em.execute(
      `insert into secret_access (secret_id, consumer_type, consumer_id, first_accessed_at, last_accessed_at, access_count) values (?, ?, ?, ?, ?, 1)
       on conflict (secret_id, consumer_type, consumer_id) do update set last_accessed_at = excluded.last_accessed_at, access_count = secret_access.access_count + 1`,
      [secretId, consumer.type, consumer.id, now.toISOString(), now.toISOString()],
    );
  }

  /**
   * Several reads at once: one row per (secret, consumer) with its count, in key order (concurrent batches lock
   * the same rows in the same order, so they never deadlock), in one statement.
   */
  async recordMany(
    em: EntityManager,
    reads: { secretId: string; consumer: Consumer; count: number }[],
    now: Date,
  ): Promise<void> {
    if (!reads.length) return;
    const sorted = [...reads].sort((a, b) =>
      `${a.secretId}/${a.consumer.type}/${a.consumer.id}`.localeCompare(
        `${b.secretId}/${b.consumer.type}/${b.consumer.id}`,
      ),
    );
    const at = now.toISOString();
    await em.execute(
      `insert into secret_access (secret_id, consumer_type, consumer_id, first_accessed_at, last_accessed_at, access_count) values ${sorted.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
       on conflict (secret_id, consumer_type, consumer_id) do update set last_accessed_at = greatest(secret_access.last_accessed_at, excluded.last_accessed_at), access_count = secret_access.access_count + excluded.access_count`,
      sorted.flatMap((r) => [r.secretId, r.consumer.type, r.consumer.id, at, at, r.count]),
    );
  }

  /** Most recent consumers first; keyset on (last_accessed_at, consumer_id). */
  async list(
    em: EntityManager,
    secretId: string,
    after: KeysetPosition | undefined,
    limit: number,
  ): Promise<UsageRow[]> {
    return em.execute<UsageRow[]>(
      `select consumer_type, consumer_id, first_accessed_at, last_accessed_at, access_count from secret_access where secret_id = ?${after ? ' and (last_accessed_at, consumer_id) < (?::timestamptz, ?::uuid)' : ''} order by last_accessed_at desc, consumer_id desc limit ?`,
      after ? [secretId, after.at, after.id, limit] : [secretId, limit],
    );
  }
}
