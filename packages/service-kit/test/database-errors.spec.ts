import { Logger } from '@nestjs/common';
import { DeadlockException, DriverException } from '@mikro-orm/core';
import {
  assertCallDeadlineNotPassed,
  currentCallDeadline,
  isDatabaseUnavailable,
  isTransactionConflict,
  LockwellError,
  retryOnConflict,
  runWithCallBudget,
  toRpcException,
} from '../src/index.js';

const pgError = (code: string, message = 'db error') => Object.assign(new Error(message), { code });

describe('database error classification', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a server that went away mid-query', new Error('Connection terminated unexpectedly')],
    ['a pool acquisition timeout', new Error('timeout exceeded when trying to connect')],
    ['a broken pooled client', new Error('Client has encountered a connection error and is not queryable')],
    ['an administrator shutdown (57P01)', pgError('57P01')],
    ['a crash shutdown (57P02)', pgError('57P02')],
    ['a database still recovering (57P03)', pgError('57P03')],
    ['too many connections (53300)', pgError('53300')],
    ['a connection failure (08006)', pgError('08006')],
    ['a statement timeout (57014)', pgError('57014')],
    ['a deadlock that ran out of retries (40P01)', pgError('40P01')],
    ['a wrapped driver error', new DriverException(pgError('57P01'))],
    ['an error behind a cause', new Error('outer', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) })],
    [
      'an AggregateError of refused addresses',
      Object.assign(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })], 'all failed')),
    ],
  ])('treats %s as the database being unavailable', (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a syntax error', pgError('42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined],
  ])('does not excuse %s', (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('recognises serialization failures and deadlocks as conflicts, also once MikroORM wrapped them', () => {
    expect(isTransactionConflict(pgError('40001'))).toBe(true);
    expect(isTransactionConflict(new DeadlockException(pgError('40P01')))).toBe(true);
    expect(isTransactionConflict(pgError('57P01'))).toBe(false);
  });

  it('answers SERVICE_UNAVAILABLE over the bus for a lost database, INTERNAL for a bug, never the driver text', () => {
    Logger.overrideLogger(false);
    const down = toRpcException(
      new DriverException(pgError('ECONNREFUSED', 'insert into secrets ... ECONNREFUSED')),
    ).getError() as { code: string; message: string };
    expect(down.code).toBe('SERVICE_UNAVAILABLE');
    expect(down.message).not.toContain('secrets');
    expect((toRpcException(new Error('boom')).getError() as { code: string }).code).toBe('INTERNAL');
  });
});

describe('retryOnConflict', () => {
  it('runs a transaction aborted by a deadlock again until it succeeds', async () => {
    let calls = 0;
    const result = await retryOnConflict(async () => {
      calls += 1;
      if (calls < 3) throw pgError('40P01');
      return 'committed';
    });
    expect(result).toBe('committed');
    expect(calls).toBe(3);
  });

  it('gives up after three attempts and rethrows the conflict', async () => {
    let calls = 0;
    const err = await retryOnConflict(async () => {
      calls += 1;
      throw pgError('40001');
    }).catch((e) => e);
    expect(calls).toBe(3);
    expect(err.code).toBe('40001');
  });

  it('never retries a lost connection (its COMMIT may have landed)', async () => {
    let calls = 0;
    await retryOnConflict(async () => {
      calls += 1;
      throw pgError('ECONNRESET');
    }).catch(() => undefined);
    expect(calls).toBe(1);
  });

  it("does not retry past the caller's deadline", async () => {
    let calls = 0;
    await runWithCallBudget(300, Date.now() - 60, () =>
      retryOnConflict(async () => {
        calls += 1;
        throw pgError('40P01');
      }),
    ).catch(() => undefined);
    expect(calls).toBe(1);
  });
});

describe('call deadline', () => {
  it("is the arrival time plus the caller's budget, minus time for the reply", async () => {
    await runWithCallBudget(5000, 1_000_000, async () => {
      expect(currentCallDeadline()).toBeGreaterThan(1_000_000 + 4000);
      expect(currentCallDeadline()).toBeLessThan(1_000_000 + 5000);
    });
    expect(currentCallDeadline()).toBeUndefined();
  });

  it('refuses a commit once the caller has given up, and ignores calls without a budget', async () => {
    await runWithCallBudget(1000, Date.now() - 2000, async () => {
      expect(() => assertCallDeadlineNotPassed()).toThrow(LockwellError);
    });
    await runWithCallBudget(undefined, Date.now() - 60_000, async () => {
      expect(() => assertCallDeadlineNotPassed()).not.toThrow();
    });
  });
});
