import { Inject, Injectable } from '@nestjs/common';
import type { CallContext } from '@lockwell/contracts';
import { isForeignKeyViolation } from '@lockwell/service-kit';
import { AuditedTransaction, type SecretAuditEntry } from '../audit/audited-transaction.js';
import type { SecretRow } from '../record/secret.row.js';
import { VAULT_SETTINGS, type VaultSettings } from '../vault-settings.js';
import { secretNotFound } from './secret-lookup.js';
import { SecretUsageRepository, type Consumer } from './secret-usage.repository.js';
import { SecretRepository } from './secret.repository.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Reads per transaction at most (one multi-row statement each for access records and audit rows). */
export const MAX_BATCH = 200;
/** Batches committing at once: while they commit, new reads queue for the next one. */
const MAX_IN_FLIGHT = 2;

interface Pending {
  ctx: CallContext;
  entry: SecretAuditEntry;
  /** The value read it records (absent for a list: its audit record only). */
  read?: { row: SecretRow; consumer: Consumer };
  done: (err?: unknown) => void;
}

/**
 * Group commit for reads: concurrent reads of active secrets share one transaction that writes their audit
 * records, their access records (one upsert per secret and consumer, counted) and their "last accessed" times,
 * with one WAL flush. Each caller is answered only after the commit of its batch, so a value still never leaves
 * without its audit record (AUD-1) and a crash loses no answered read. "Last accessed" is kept to the minute:
 * a secret already marked within the last minute is not written again (the 30-day lifecycle rule needs no
 * more), which also keeps readers of one hot secret from queueing on its row lock.
 */
@Injectable()
export class ReadRecorder {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly tx: AuditedTransaction,
    private readonly secrets: SecretRepository,
    private readonly usage: SecretUsageRepository,
    @Inject(VAULT_SETTINGS) private readonly settings: VaultSettings,
  ) {}

  /**
   * Whether a read of `row` can be recorded in a batch: an active secret in use recently. Anything else (an
   * inactive or scheduled secret, or one idle long enough that the lifecycle job may be about to mark it)
   * takes the single-read transaction, which reactivates it under its row lock.
   */
  batchable(row: SecretRow, now: Date): boolean {
    const idleMs = now.getTime() - new Date(row.activity_at).getTime();
    return row.status === 'active' && idleMs < (this.settings.inactiveAfterDays * DAY_MS) / 2;
  }

  /** Records a value read of `row` by `consumer`; resolves once its batch committed. */
  recordRead(ctx: CallContext, row: SecretRow, consumer: Consumer, entry: SecretAuditEntry): Promise<void> {
    return this.enqueue({ ctx, entry, read: { row, consumer } });
  }

  /** Records an audit-only read (a list); resolves once its batch committed. */
  recordAudit(ctx: CallContext, entry: SecretAuditEntry): Promise<void> {
    return this.enqueue({ ctx, entry });
  }

  private enqueue(item: Omit<Pending, 'done'>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...item, done: (err) => (err === undefined ? resolve() : reject(err)) });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.commit(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      await this.write(batch);
      for (const p of batch) p.done();
    } catch (err) {
      if (batch.length === 1) return batch[0]!.done(err);
      // One read that cannot be recorded (its secret deleted meanwhile) must not fail the others: each alone.
      await Promise.all(
        batch.map((p) =>
          this.write([p]).then(
            () => p.done(),
            (e: unknown) => p.done(e),
          ),
        ),
      );
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    const now = this.tx.now();
    const stale = new Set<string>();
    const counts = new Map<string, { secretId: string; consumer: Consumer; count: number }>();
    for (const { read } of batch) {
      if (!read) continue;
      const { row, consumer } = read;
      if (!this.markedWithinMinute(row, now)) stale.add(row.id);
      const key = `${row.id}/${consumer.type}/${consumer.id}`;
      const seen = counts.get(key);
      if (seen) seen.count += 1;
      else counts.set(key, { secretId: row.id, consumer, count: 1 });
    }
    try {
      await this.tx.runAll(batch, async (em) => {
        if (stale.size) await this.secrets.touchRead(em, [...stale], now);
        await this.usage.recordMany(em, [...counts.values()], now);
      });
    } catch (err) {
      // The secret was deleted after it was loaded: as if the read had come a moment later.
      if (isForeignKeyViolation(err)) throw secretNotFound();
      throw err;
    }
  }

  private markedWithinMinute(row: SecretRow, now: Date): boolean {
    const since = now.getTime() - MINUTE_MS;
    return (
      row.last_accessed_at !== null &&
      new Date(row.last_accessed_at).getTime() > since &&
      new Date(row.activity_at).getTime() > since
    );
  }
}
