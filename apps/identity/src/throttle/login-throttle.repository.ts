import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';

/** One throttle key's state: `account:<email>` or `ip:<address>`. */
export interface ThrottleRow {
  key: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

/** The `login_throttle` table (no entity: its updates are arithmetic on locked rows). Keys are the scope. */
@Injectable()
export class LoginThrottleRepository {
  /**
   * Locks each key's row in one order (no deadlocks between concurrent attempts), creating it when missing.
   * One upsert per key both creates and locks the row: a separate insert and `select … for update` let a
   * concurrent successful login delete the row in between, and the attempt then found no row (a 500).
   */
  async lock(em: EntityManager, keys: string[], now: Date): Promise<ThrottleRow[]> {
    const rows: ThrottleRow[] = [];
    for (const key of [...keys].sort()) {
      const [row] = await em.execute<ThrottleRow[]>(
        `insert into login_throttle (key, failures, window_started_at, locked_until) values (?, 0, ?, null)
         on conflict (key) do update set key = excluded.key
         returning key, failures, window_started_at, locked_until`,
        [key, now],
      );
      rows.push(row!);
    }
    return rows;
  }

  async set(
    em: EntityManager,
    key: string,
    failures: number,
    windowStartedAt: Date,
    lockedUntil: Date | null,
  ): Promise<void> {
    await em.execute(`update login_throttle set failures = ?, window_started_at = ?, locked_until = ? where key = ?`, [
      failures,
      windowStartedAt,
      lockedUntil,
      key,
    ]);
  }

  async clear(em: EntityManager, key: string): Promise<void> {
    await em.execute(`delete from login_throttle where key = ?`, [key]);
  }

  /** Takes one failure back from `key`, and lifts the lock `lockedUntil` when that brings it under `threshold`. */
  async giveBack(em: EntityManager, key: string, lockedUntil: Date | null, threshold: number): Promise<void> {
    await em.execute(
      `update login_throttle set failures = greatest(failures - 1, 0),
         locked_until = case when locked_until = ? and failures - 1 < ? then null else locked_until end
       where key = ?`,
      [lockedUntil, threshold, key],
    );
  }
}
