// The snapshot path's cost (docs/operations.md): seeds a system on a durable PostgreSQL of its own through
// the gateway (BENCH_SECRETS secrets, half personal, half in one tenant, each with two versions, so every
// database also holds the matching audit records and access rows), then times `lockwell-backup backup`, a
// restore into the same server (services stopped, old databases kept aside, the default) and the services' start on the
// restored data, and checks a sample of values. Prints the figures; asserts nothing about speed.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, startPostgres, type PostgresHandle } from '@lockwell/local-infra';
import { testMasterKey } from '@lockwell/testing';
import { adminToken, createUser } from '../e2e/support/auth.js';
import { clientFor } from '../e2e/support/http.js';
import { startSystem, type TestSystem } from '../e2e/support/system.js';

const SECRETS = Number(process.env.BENCH_SECRETS ?? 10_000);
const CONCURRENCY = 16;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'packages/backup/dist/main.js');

function runCli(
  args: string[],
  masterKey: string,
): Promise<{ ms: number; stdout: string; stderr: string; code: number }> {
  const started = performance.now();
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, LOCKWELL_MASTER_KEY: masterKey } },
      (err, stdout, stderr) =>
        resolve({ ms: Math.round(performance.now() - started), stdout, stderr, code: err ? 1 : 0 }),
    ),
  );
}

describe('backup and restore cost', () => {
  let dir: string;
  let cluster: PostgresHandle;
  let sys: TestSystem;
  const masterKey = testMasterKey();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-bench-backup-'));
    chmodSync(dir, 0o755);
    cluster = await startPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), durability: 'durable' });
    sys = await startSystem({
      postgres: cluster,
      databaseName: (s) => `lockwell_${s}`,
      env: { LOCKWELL_MASTER_KEY: masterKey },
    });
  });
  afterAll(async () => {
    await sys?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('measures backup, restore and restart', async () => {
    const api = clientFor(sys.url);
    const admin = await adminToken(sys);
    const alice = await createUser(sys, admin);
    const tenant = await api.post('/api/v1/tenants', { name: `Bench ${Date.now()}` }, { token: alice.access_token });
    const seedStarted = performance.now();
    const samples: { path: string; id: string; value: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < SECRETS) {
          const i = next++;
          const personal = i % 2 === 0;
          const base = personal ? '/api/v1/user-secrets' : '/api/v1/tenant-secrets';
          const body = {
            service_name: `svc-${i % 50}`,
            secret_key_name: `key-${i}`,
            secret_value: `value-${i}-v1`,
            ...(personal ? {} : { tenant_id: tenant.body.id }),
          };
          const created = await api.post(`${base}/`, body, { token: alice.access_token });
          if (created.status !== 201) throw new Error(`seeding failed: ${created.status}`);
          await api.put(`${base}/${created.body.id}`, { secret_value: `value-${i}-v2` }, { token: alice.access_token });
          if (i % 500 === 0) samples.push({ path: base, id: created.body.id, value: `value-${i}-v2` });
        }
      }),
    );
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const server = cluster.url('postgres');
    const count = async (db: string, table: string) => {
      const client = new pg.Client({ connectionString: cluster.url(db) });
      await client.connect();
      const { rows } = await client.query(`select count(*)::int as n from ${table}`);
      await client.end();
      return rows[0].n as number;
    };
    const rows = `secrets ${await count('lockwell_vault', 'secrets')}, versions ${await count('lockwell_vault', 'secret_versions')}, access rows ${await count('lockwell_vault', 'secret_access')}, vault outbox ${await count('lockwell_vault', 'outbox')}`;

    const backup = await runCli(['backup', '--out', path.join(dir, 'backup'), '--server', server], masterKey);
    if (backup.code !== 0) throw new Error(backup.stderr);
    await sys.stopServices();
    const restore = await runCli(['restore', path.join(dir, 'backup'), '--server', server], masterKey);
    if (restore.code !== 0) throw new Error(restore.stderr);
    const restartStarted = performance.now();
    await sys.startServices();
    for (;;) {
      if ((await api.get('/readyz')).status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const restartMs = Math.round(performance.now() - restartStarted);
    const token = (await api.post('/api/v1/auth/login', { email: alice.email, password: alice.password })).body
      .access_token;
    for (const s of samples) {
      const res = await api.get(`${s.path}/${s.id}`, { token });
      if (res.body.secret_value !== s.value) throw new Error(`restored value differs for ${s.id}`);
    }
    const sizes = await new Promise<string>((resolve) =>
      execFile(
        'du',
        ['-sh', path.join(dir, 'backup'), path.join(dir, 'pg'), path.join(dir, 'pg', 'pg_wal')],
        (_e, out) => resolve(out.trim().replace(/\n/g, ', ')),
      ),
    );
    const manifest = JSON.parse(readFileSync(path.join(dir, 'backup', 'manifest.json'), 'utf8')) as {
      databases: { service: string; bytes: number }[];
    };
    const perDatabase = manifest.databases.map((d) => `${d.service} ${(d.bytes / 1024).toFixed(0)} KiB`).join(', ');
    process.stdout.write(
      `\n| secrets | versions | seeding | backup | restore | services ready after restore | sizes (backup, cluster) |\n|---|---|---|---|---|---|---|\n` +
        `| ${SECRETS} | ${SECRETS * 2} | ${seedSeconds.toFixed(0)} s | ${backup.ms} ms | ${restore.ms} ms | ${restartMs} ms | ${sizes} |\n` +
        `rows at backup: ${rows}\ndumps: ${perDatabase}\nbackup: ${backup.stdout.trim()}\nrestore: ${restore.stdout.trim()}\n${restore.stderr}`,
    );
  }, 1_800_000);
});
