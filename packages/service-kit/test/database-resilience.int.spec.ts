// The kit's database guards against a real PostgreSQL: the production durability check, how a refused
// connection, a statement timeout and a real deadlock are classified, the bounded retry, and the refusal to
// commit after the caller's deadline.
import { jest } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { freePort } from '@lockwell/local-infra';
import { testDatabaseUrl, uniqueDatabaseName } from '@lockwell/testing';
import {
  checkDatabaseDurability,
  CommitDeadline,
  isDatabaseUnavailable,
  isTransactionConflict,
  LockwellError,
  ormOptions,
  retryOnConflict,
  runWithCallBudget,
} from '../src/index.js';

const noTables = { entities: [], migrations: [] };

describe('database guards against real PostgreSQL', () => {
  let orm: MikroORM;
  let dbName: string;

  beforeAll(async () => {
    dbName = uniqueDatabaseName('kitdb');
    orm = await MikroORM.init(ormOptions(testDatabaseUrl(dbName), noTables));
    await orm.em.fork().execute(`create table rows_t (id int primary key, n int not null)`);
    await orm.em.fork().execute(`insert into rows_t values (1, 0), (2, 0)`);
    new CommitDeadline(orm).onApplicationBootstrap();
  });
  afterAll(() => orm?.close());

  it('refuses to start production when the database acknowledges commits before writing them', async () => {
    // Per-database setting, so this holds whatever the harness cluster itself runs with.
    await orm.em.fork().execute(`alter database "${dbName}" set synchronous_commit = off`);
    const lax = await MikroORM.init(ormOptions(testDatabaseUrl(dbName), noTables));
    try {
      const log = { info: jest.fn(), warn: jest.fn() };
      await expect(checkDatabaseDurability(lax, { production: true, allowNonDurable: false }, log)).rejects.toThrow(
        /synchronous_commit is off/,
      );
      await checkDatabaseDurability(lax, { production: true, allowNonDurable: true }, log);
      expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('LOCKWELL_ALLOW_NON_DURABLE_DATABASE'));
    } finally {
      await lax.close();
      await orm.em.fork().execute(`alter database "${dbName}" reset synchronous_commit`);
    }
  });

  it('classifies a refused connection as unavailable, within the acquisition timeout', async () => {
    const nowhere = await MikroORM.init({
      ...ormOptions(`postgresql://postgres@127.0.0.1:${await freePort()}/nothing`, noTables, { acquireTimeoutMs: 500 }),
      ensureDatabase: false,
    });
    try {
      const started = Date.now();
      const err = await nowhere.em
        .fork()
        .execute('select 1')
        .catch((e) => e);
      expect(isDatabaseUnavailable(err)).toBe(true);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await nowhere.close();
    }
  });

  it('gives up waiting for a pooled connection after the acquisition timeout, as unavailable', async () => {
    const small = await MikroORM.init(ormOptions(testDatabaseUrl(dbName), noTables, { acquireTimeoutMs: 300 }));
    try {
      // The pool holds 10 connections: keep all of them busy, then ask for one more.
      const busy = Array.from({ length: 10 }, () => small.em.fork().execute('select pg_sleep(1.5)'));
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      const err = await small.em
        .fork()
        .execute('select 1')
        .catch((e) => e);
      expect(isDatabaseUnavailable(err)).toBe(true);
      expect(Date.now() - started).toBeLessThan(1200);
      await Promise.all(busy);
    } finally {
      await small.close();
    }
  });

  it('classifies a statement timeout as unavailable', async () => {
    const err = await orm.em
      .fork()
      .transactional(async (em) => {
        await em.execute(`set local statement_timeout = 50`);
        await em.execute(`select pg_sleep(2)`);
      })
      .catch((e) => e);
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('lets both sides of a real deadlock commit by running the aborted one again', async () => {
    let attempts = 0;
    let bothLocked!: () => void;
    const barrier = new Promise<void>((r) => (bothLocked = r));
    let locked = 0;
    // Two transactions lock rows 1 and 2 in opposite orders: PostgreSQL aborts one with 40P01.
    const cross = (first: number, second: number) =>
      retryOnConflict(() => {
        attempts += 1;
        return orm.em.fork().transactional(async (em) => {
          await em.execute(`update rows_t set n = n + 1 where id = ?`, [first]);
          if (++locked === 2) bothLocked();
          await Promise.race([barrier, new Promise((r) => setTimeout(r, 500))]);
          await em.execute(`update rows_t set n = n + 1 where id = ?`, [second]);
        });
      });
    let sawConflict = false;
    const observe = (p: Promise<unknown>) =>
      p.catch((e) => ((sawConflict = isTransactionConflict(e)), Promise.reject(e)));
    await Promise.all([observe(cross(1, 2)), observe(cross(2, 1))]);
    expect(sawConflict).toBe(false);
    expect(attempts).toBe(3);
    const rows = await orm.em.fork().execute<{ n: number }[]>(`select n from rows_t order by id`);
    expect(rows.map((r) => r.n)).toEqual([2, 2]);
  });

  it('rolls a transaction back instead of committing it after the caller gave up', async () => {
    const err = await runWithCallBudget(1000, Date.now() - 5000, () =>
      orm.em.fork().transactional(async (em) => {
        await em.execute(`insert into rows_t values (3, 0)`);
      }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(LockwellError);
    expect(err.code).toBe('SERVICE_UNAVAILABLE');
    expect(await orm.em.fork().execute(`select 1 from rows_t where id = 3`)).toHaveLength(0);
  });
});
