// Crash safety, tried as an operator would: a mixed load of personal and tenant secret creates, updates and
// reads through the gateway while PostgreSQL (postmaster and every backend) is killed with SIGKILL and started
// again ~2 s later, then the same with nats-server. Proves: no acknowledged write is lost (every 2xx write
// reads back with its acknowledged value and version), no answer is a 500 (503 while the dependency is down),
// no request hangs past the RPC deadline, and /readyz turns 503 during the outage and 200 again on its own.
// The cluster is this file's own and durable (the shared test cluster is fast and non-durable on purpose).
// `npm run test:resilience` runs it longer: LOCKWELL_RESILIENCE_ROUNDS (default 1) crashes of each kind.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  crashPostgres,
  freePort,
  restartNats,
  startNats,
  startPostgres,
  type NatsHandle,
  type PostgresHandle,
} from '@lockwell/local-infra';
import { adminToken, createUser } from './support/auth.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';
import { WriteLoad, type LoadActor, type LoadFigures } from './support/write-load.js';

const ROUNDS = Number(process.env.LOCKWELL_RESILIENCE_ROUNDS ?? 1);
const WORKERS = Number(process.env.LOCKWELL_RESILIENCE_WORKERS ?? 8);
const STEADY_MS = Number(process.env.LOCKWELL_RESILIENCE_STEADY_MS ?? 1500);
const DOWN_MS = 2000;
const RPC_TIMEOUT_MS = 5000;
// The RPC deadline, plus slack for two cores shared with the rest of the test suite.
const LONGEST_ALLOWED_MS = RPC_TIMEOUT_MS + 2500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RoundReport extends LoadFigures {
  dependency: string;
  readyz503Seen: boolean;
  recoveredInMs: number;
}

function printReport(r: RoundReport): void {
  const other =
    Object.entries(r.unexpected)
      .map(([s, n]) => `${s}:${n}`)
      .join(' ') || '0';
  process.stdout.write(
    `\n[durability] ${r.dependency} killed with SIGKILL, restarted after ${DOWN_MS} ms: requests ${r.requests}, acknowledged writes ${r.ackedWrites}, ` +
      `verified ${r.verified}, lost ${r.lost}, 500s ${r.status500}, 503s ${r.status503}, other non-2xx ${other}, network errors ${r.networkErrors}, ` +
      `inconsistent reads ${r.inconsistentReads}, 503-answered creates that landed ${r.uncertainCreatesFound}, longest request ${Math.round(r.longestMs)} ms, ` +
      `/readyz 503 during outage ${r.readyz503Seen}, ready again ${r.recoveredInMs} ms after restart\n`,
  );
}

describe('durability: crashes of PostgreSQL and nats-server under a write load', () => {
  let dir: string;
  let pg: PostgresHandle;
  let nats: NatsHandle;
  let sys: TestSystem;
  let actors: LoadActor[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-crash-'));
    chmodSync(dir, 0o755); // the postgres system user must reach the cluster directory when we are root
    pg = await startPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), durability: 'durable' });
    nats = await startNats({ dir: path.join(dir, 'nats'), port: await freePort() });
    sys = await startSystem({ postgres: pg, nats, env: { RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) } });
    const api = clientFor(sys.url);
    const admin = await adminToken(sys);
    const alice = await createUser(sys, admin);
    const bob = await createUser(sys, admin);
    const tenant = await api.post(
      '/api/v1/tenants',
      { name: `Crash ${randomUUID().slice(0, 8)}` },
      { token: alice.access_token },
    );
    expect(tenant.status).toBe(201);
    actors = [
      { label: 'alice personal', token: alice.access_token },
      { label: 'bob personal', token: bob.access_token },
      { label: 'alice tenant', token: alice.access_token, tenantId: tenant.body.id },
    ];
  }, 120_000);

  afterAll(async () => {
    // Whatever state a failed round left the system in, PostgreSQL and nats-server must not outlive the test.
    await Promise.race([sys?.stop(), sleep(30_000)]).catch(() => undefined);
    await nats?.stop();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** Load on, crash, restart after DOWN_MS, wait for /readyz 200, load on a little longer, then verify every acknowledged write. */
  async function crashRound(
    dependency: string,
    crash: () => Promise<void>,
    restart: () => Promise<void>,
  ): Promise<RoundReport> {
    const api = clientFor(sys.url);
    const load = new WriteLoad(sys.url, actors, `${dependency}-${randomUUID().slice(0, 6)}`);
    load.start(WORKERS);
    await sleep(STEADY_MS);
    await crash();
    let readyz503Seen = false;
    const downUntil = Date.now() + DOWN_MS;
    while (Date.now() < downUntil) {
      const res = await api.get('/readyz').catch(() => undefined);
      if (res?.status === 503) readyz503Seen = true;
      await sleep(200);
    }
    await restart();
    const restartedAt = Date.now();
    for (;;) {
      const res = await api.get('/readyz').catch(() => undefined);
      if (res?.status === 200) break;
      if (Date.now() - restartedAt > 60_000)
        throw new Error(`not ready 60 s after restarting ${dependency}: ${JSON.stringify(res?.body)}`);
      await sleep(100);
    }
    const recoveredInMs = Date.now() - restartedAt;
    await sleep(STEADY_MS);
    await load.stop();
    const figures = await load.verify();
    const report = { ...figures, dependency, readyz503Seen, recoveredInMs };
    printReport(report);
    return report;
  }

  function expectSafe(r: RoundReport): void {
    expect(r.ackedWrites).toBeGreaterThan(20);
    expect(r.lost).toBe(0);
    expect(r.verified).toBe(r.ackedWrites);
    expect(r.status500).toBe(0);
    expect(r.unexpected).toEqual({});
    expect(r.networkErrors).toBe(0);
    expect(r.inconsistentReads).toBe(0);
    expect(r.status503).toBeGreaterThan(0);
    expect(r.readyz503Seen).toBe(true);
    expect(r.longestMs).toBeLessThan(LONGEST_ALLOWED_MS);
  }

  it(
    'loses no acknowledged write, answers 503 (never 500) and recovers on its own when PostgreSQL is killed',
    async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const report = await crashRound(
          'PostgreSQL',
          async () => void (await crashPostgres(pg.dir)),
          async () => void (pg = await startPostgres({ dir: pg.dir, port: pg.port, durability: 'durable' })),
        );
        expectSafe(report);
      }
    },
    120_000 * ROUNDS,
  );

  it(
    'loses no acknowledged write, answers 503 (never 500) and recovers on its own when nats-server is killed',
    async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const report = await crashRound(
          'nats-server',
          async () => {
            const exited = new Promise((r) => nats.child.once('exit', r));
            nats.child.kill('SIGKILL');
            await exited;
          },
          // The same bus configuration and keys: a fresh startNats would make keys no running process knows.
          async () => void (nats = await restartNats(nats)),
        );
        expectSafe(report);
      }
    },
    120_000 * ROUNDS,
  );
});
