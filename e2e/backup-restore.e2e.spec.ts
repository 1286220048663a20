// Backup and restore, end to end as an operator runs them: users, a tenant with a member, personal and tenant
// secrets with several versions; `lockwell-backup backup` (the CLI behind `npm run backup`); the PostgreSQL
// data directory wiped; a fresh system started; a restore with the wrong master key refused before anything
// changes; the real restore; the services started again (applying the migration the older backup lacked);
// every value of every version and the logins checked through the gateway.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { freePort, postgresBinDir, startPostgres, type PostgresHandle } from '@lockwell/local-infra';
import { testMasterKey } from '@lockwell/testing';
import { adminToken, createUser, login, type CreatedUser } from './support/auth.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'packages/backup/dist/main.js');
const LATEST_VAULT_MIGRATION = 'Migration20261126130000VaultTypeIndex';
const databaseName = (service: string) => `lockwell_${service}`;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the backup CLI without blocking this process (the system under test runs in it). */
function runCli(args: string[], masterKey: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, LOCKWELL_MASTER_KEY: masterKey } },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

interface Written {
  path: string;
  id: string;
  owner: 'alice' | 'bob';
  values: string[];
}

describe('backup and restore', () => {
  let dir: string;
  let pgHandle: PostgresHandle;
  let sys: TestSystem | undefined;
  let server: string;
  const masterKey = testMasterKey();
  const users: Record<'alice' | 'bob', CreatedUser> = {} as never;
  const written: Written[] = [];
  const backupDir = () => path.join(dir, 'backup');

  const query = async <T extends pg.QueryResultRow>(db: string, sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: pgHandle.url(db) });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const databases = async () =>
    (
      await query<{ datname: string }>(
        'postgres',
        `select datname from pg_database where datname like 'lockwell_%' order by 1`,
      )
    ).map((r) => r.datname);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-backup-'));
    chmodSync(dir, 0o755); // the postgres system user must reach the cluster directory when we are root
    pgHandle = await startPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), durability: 'fast' });
    server = pgHandle.url('postgres');
  }, 60_000);

  afterAll(async () => {
    // Whatever state a failed step left the system in, its PostgreSQL must not outlive the test.
    await Promise.race([sys?.stop(), new Promise((r) => setTimeout(r, 30_000))]).catch(() => undefined);
    await pgHandle?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('backs up every database with a manifest and no master key inside', async () => {
    sys = await startSystem({ postgres: pgHandle, databaseName, env: { LOCKWELL_MASTER_KEY: masterKey } });
    const api = clientFor(sys.url);
    const admin = await adminToken(sys);
    users.alice = await createUser(sys, admin);
    users.bob = await createUser(sys, admin);
    const tenant = await api.post(
      '/api/v1/tenants',
      { name: `Restore ${randomUUID().slice(0, 8)}` },
      { token: users.alice.access_token },
    );
    expect(tenant.status).toBe(201);
    expect(
      (
        await api.post(
          `/api/v1/tenants/${tenant.body.id}/members`,
          { user_id: users.bob.id, role: 'viewer' },
          { token: users.alice.access_token },
        )
      ).status,
    ).toBe(201);
    const write = async (owner: 'alice' | 'bob', scope: 'user' | 'tenant', versions: number) => {
      const base = scope === 'user' ? '/api/v1/user-secrets' : '/api/v1/tenant-secrets';
      const token = users[owner].access_token;
      const values = Array.from({ length: versions }, (_, i) => `restore-${owner}-${scope}-v${i + 1}-${randomUUID()}`);
      const created = await api.post(
        `${base}/`,
        {
          service_name: 'restore',
          secret_key_name: `k-${randomUUID()}`,
          secret_value: values[0],
          ...(scope === 'tenant' ? { tenant_id: tenant.body.id } : {}),
        },
        { token },
      );
      expect(created.status).toBe(201);
      for (const value of values.slice(1))
        expect((await api.put(`${base}/${created.body.id}`, { secret_value: value }, { token })).status).toBe(200);
      written.push({ path: base, id: created.body.id, owner, values });
    };
    await write('alice', 'user', 3);
    await write('alice', 'user', 2);
    await write('bob', 'user', 2);
    await write('alice', 'tenant', 3);
    await write('alice', 'tenant', 1);
    // A backup of an older schema: the vault database as it was before its latest migration.
    await query(databaseName('vault'), `drop index secrets_tenant_type`);
    await query(databaseName('vault'), `delete from mikro_orm_migrations where name = $1`, [LATEST_VAULT_MIGRATION]);

    const started = Date.now();
    const backup = await runCli(['backup', '--out', backupDir(), '--server', server], masterKey);
    expect(backup).toMatchObject({ code: 0, stderr: '' });
    expect(backup.stdout).toMatch(/^backup written to .*: 6 databases, [\d.]+ MB/);
    process.stdout.write(`\n[backup] ${backup.stdout.trim()} (${Date.now() - started} ms with process start)\n`);

    const manifest = JSON.parse(readFileSync(path.join(backupDir(), 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 'lockwell-backup/1',
      lockwell_version: '0.1.0',
      consistency: { method: 'exported-snapshots' },
      master_key: { in_use: [1] },
    });
    expect(Object.keys(manifest.master_key.check_values)).toEqual(['1']);
    expect(manifest.databases.map((d: { service: string }) => d.service).sort()).toEqual([
      'audit',
      'connectors',
      'identity',
      'notifications',
      'tenants',
      'vault',
    ]);
    const vault = manifest.databases.find((d: { service: string }) => d.service === 'vault');
    expect(vault.migrations).not.toContain(LATEST_VAULT_MIGRATION);
    expect(vault.migrations.length).toBeGreaterThan(1);

    // Not the key, in any encoding, in any dump (decoded to SQL text) or the manifest.
    const keyBytes = Buffer.from(masterKey.split(':')[1], 'base64');
    const forbidden = [masterKey.split(':')[1], keyBytes.toString('hex'), keyBytes.toString('base64url')];
    const texts = [readFileSync(path.join(backupDir(), 'manifest.json'), 'utf8')];
    for (const d of manifest.databases) {
      const sql = await new Promise<string>((resolve, reject) =>
        execFile(
          path.join(postgresBinDir() ?? '', 'pg_restore'),
          ['-f', '-', path.join(backupDir(), d.file)],
          { maxBuffer: 64 * 1024 * 1024 },
          (err, out) => (err ? reject(err) : resolve(out)),
        ),
      );
      texts.push(sql);
    }
    expect(texts.join('\n')).toContain(written[0].id); // the dumps do hold the data...
    for (const text of texts) for (const secret of forbidden) expect(text).not.toContain(secret); // ...but never the key
  }, 120_000);

  it('refuses a restore with the wrong master key before changing anything', async () => {
    // Wipe: stop everything, delete the cluster's data directory, start a fresh system on an empty cluster.
    await sys!.stop();
    await pgHandle.stop();
    rmSync(path.join(dir, 'pg'), { recursive: true, force: true });
    pgHandle = await startPostgres({ dir: path.join(dir, 'pg'), port: pgHandle.port, durability: 'fast' });
    sys = await startSystem({ postgres: pgHandle, databaseName, env: { LOCKWELL_MASTER_KEY: masterKey } });
    await expect(login(sys, users.alice.email, users.alice.password)).rejects.toThrow(/401/);
    await sys.stopServices();
    const before = await databases();

    const wrong = await runCli(['restore', backupDir(), '--server', server], testMasterKey());
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /the master key does not match this backup \(key id 1 has check value [0-9a-f]{16}, the backup was taken with [0-9a-f]{16}\)/,
    );
    expect(wrong.stderr).toContain('nothing was changed');
    expect(await databases()).toEqual(before);
    expect(await query(databaseName('identity'), `select 1 from users where email = $1`, [users.alice.email])).toEqual(
      [],
    );
  }, 120_000);

  it('refuses while a service is still connected', async () => {
    await sys!.startServices();
    const busy = await runCli(['restore', backupDir(), '--server', server], masterKey);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(
      /session\(s\) are connected to lockwell_\w+ \(lockwell-\w+\): stop the Lockwell services before restoring; nothing was changed/,
    );
    await sys!.stopServices();
  }, 60_000);

  it('restores into the fresh system: every value of every version, the memberships and the logins', async () => {
    const started = Date.now();
    const restore = await runCli(['restore', backupDir(), '--server', server], masterKey);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/^restored 6 databases from .* in [\d.]+ s/);
    expect(restore.stdout).toMatch(/the replaced databases were kept: lockwell_\w+_pre_restore_\d{14}/);
    process.stdout.write(`\n[restore] ${restore.stdout.trim()} (${Date.now() - started} ms with process start)\n`);

    await sys!.startServices();
    // The services migrated the older backup forward at start.
    const vaultMigrations = await query<{ name: string }>(
      databaseName('vault'),
      'select name from mikro_orm_migrations',
    );
    expect(vaultMigrations.map((m) => m.name)).toContain(LATEST_VAULT_MIGRATION);
    expect(
      await query(databaseName('vault'), `select 1 from pg_indexes where indexname = 'secrets_tenant_type'`),
    ).toHaveLength(1);

    const api = clientFor(sys!.url);
    const tokens = {
      alice: (await login(sys!, users.alice.email, users.alice.password)).access_token,
      bob: (await login(sys!, users.bob.email, users.bob.password)).access_token,
    };
    let checked = 0;
    for (const secret of written) {
      const token = tokens[secret.owner];
      for (const [i, value] of secret.values.entries()) {
        const res = await api.get(`${secret.path}/${secret.id}?version=${i + 1}`, { token });
        expect({ status: res.status, value: res.body.secret_value }).toEqual({ status: 200, value });
        checked += 1;
      }
      const current = await api.get(`${secret.path}/${secret.id}`, { token });
      expect(current.body.version).toBe(secret.values.length);
    }
    expect(checked).toBe(11);
    // Bob is still a viewer of Alice's tenant and reads its secrets; he still cannot read Alice's personal ones.
    const tenantSecret = written.find((w) => w.path.includes('tenant'))!;
    expect((await api.get(`${tenantSecret.path}/${tenantSecret.id}`, { token: tokens.bob })).body.secret_value).toBe(
      tenantSecret.values.at(-1),
    );
    expect((await api.get(`/api/v1/user-secrets/${written[0].id}`, { token: tokens.bob })).status).toBe(404);
    expect((await api.get('/readyz')).status).toBe(200);
  }, 120_000);
});
