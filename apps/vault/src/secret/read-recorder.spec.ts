import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '@lockwell/service-kit';
import { asUser, FakeClock, fakeUnitOfWork, recordingOutbox } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import { AuditedTransaction } from '../audit/audited-transaction.js';
import type { SecretRow } from '../record/secret.row.js';
import type { VaultSettings } from '../vault-settings.js';
import { ReadRecorder } from './read-recorder.js';
import type { Consumer, SecretUsageRepository } from './secret-usage.repository.js';
import type { SecretRepository } from './secret.repository.js';

const NOW = '2026-12-01T10:00:00.000Z';
const row = (over: Partial<SecretRow> = {}) =>
  ({ id: randomUUID(), status: 'active', last_accessed_at: null, activity_at: new Date(NOW), ...over }) as SecretRow;

function setup() {
  const clock = new FakeClock(NOW);
  const em = fakeUnitOfWork();
  const touched: string[][] = [];
  const recorded: { secretId: string; consumer: Consumer; count: number }[][] = [];
  const gone = new Set<string>();
  const secrets = {
    touchRead: async (_em: EntityManager, ids: string[]) => void touched.push(ids),
  } as unknown as SecretRepository;
  const usage = {
    recordMany: async (_em: EntityManager, reads: { secretId: string; consumer: Consumer; count: number }[]) => {
      if (reads.some((r) => gone.has(r.secretId)))
        throw Object.assign(new Error('insert violates foreign key'), { code: '23503' });
      recorded.push(reads);
    },
  } as unknown as SecretUsageRepository;
  const tx = new AuditedTransaction(em, recordingOutbox(), clock, { error: () => undefined } as unknown as Logger);
  const settings = { inactiveAfterDays: 30 } as VaultSettings;
  return { recorder: new ReadRecorder(tx, secrets, usage, settings), em, touched, recorded, gone, clock };
}

describe('ReadRecorder', () => {
  const ctx = asUser(randomUUID());
  const consumer: Consumer = { type: 'user', id: ctx.principal!.userId };
  const entry = (r: SecretRow) => ({ action: 'secret.read', resourceId: r.id, tenantId: null });

  it('shares one transaction among reads queued while a batch commits, counting each (secret, consumer) once', async () => {
    const { recorder, em, recorded } = setup();
    const hot = row();
    await Promise.all(Array.from({ length: 12 }, () => recorder.recordRead(ctx, hot, consumer, entry(hot))));
    // Two batches start at once (one read each); the other ten wait and commit together.
    expect(em.transactions).toBe(3);
    expect(recorded.map((batch) => batch.map((r) => r.count))).toEqual([[1], [1], [10]]);
  });

  it('marks "last accessed" only for secrets not marked within the last minute', async () => {
    const { recorder, touched, clock } = setup();
    const recent = row({ last_accessed_at: new Date(Date.parse(NOW) - 59_000), activity_at: new Date(NOW) });
    const old = row({ last_accessed_at: new Date(Date.parse(NOW) - 61_000), activity_at: new Date(NOW) });
    const never = row();
    clock.set(NOW);
    for (const r of [recent, old, never]) await recorder.recordRead(ctx, r, consumer, entry(r));
    expect(touched).toEqual([[old.id], [never.id]]);
  });

  it('fails only the read whose secret vanished when its batch cannot commit, answering SECRET_NOT_FOUND', async () => {
    const { recorder, gone, recorded } = setup();
    const rows = Array.from({ length: 5 }, () => row());
    gone.add(rows[3]!.id);
    const outcomes = await Promise.all(
      rows.map((r) =>
        recorder.recordRead(ctx, r, consumer, entry(r)).then(
          () => 'ok',
          (e: { code?: string }) => e.code,
        ),
      ),
    );
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'SECRET_NOT_FOUND', 'ok']);
    expect(
      recorded
        .flat()
        .map((r) => r.secretId)
        .sort(),
    ).toEqual([rows[0], rows[1], rows[2], rows[4]].map((r) => r!.id).sort());
  });

  it('takes only active secrets in recent use: an inactive one or one idle half the inactivity period reads alone', () => {
    const { recorder } = setup();
    const now = new Date(NOW);
    expect(recorder.batchable(row(), now)).toBe(true);
    expect(recorder.batchable(row({ status: 'inactive' }), now)).toBe(false);
    expect(recorder.batchable(row({ status: 'scheduled_for_deletion' }), now)).toBe(false);
    expect(recorder.batchable(row({ activity_at: new Date(Date.parse(NOW) - 14 * 86_400_000) }), now)).toBe(true);
    expect(recorder.batchable(row({ activity_at: new Date(Date.parse(NOW) - 15 * 86_400_000) }), now)).toBe(false);
  });
});
