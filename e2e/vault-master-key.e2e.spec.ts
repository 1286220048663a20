import pg from 'pg';
import { randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eventually } from '@lockwell/testing';
import { adminToken, createUser, login, type CreatedUser } from './support/auth.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

// KEY-1 / KEY-2 through the gateway: add master key 2, re-seal every key under it (the vault's data keys and
// identity's JWT signing keys), then run with key 2 alone: identity starts, logins work, every secret of both
// scopes reads back.
describe('master-key rotation through the gateway', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let admin: string;
  let alice: CreatedUser;
  let bob: CreatedUser;
  let db: pg.Client;
  let identityDb: pg.Client;
  const key2 = `2:${randomBytes(32).toString('base64')}`;
  /** Every secret created, with who reads it, through which collection, and its expected value. */
  const stored: { path: string; token: () => string; value: string; data?: Record<string, unknown> }[] = [];

  const masterKeyIds = async () =>
    (
      await db.query(
        `select master_key_id, count(*)::int as n from data_keys group by master_key_id order by master_key_id`,
      )
    ).rows;
  // The master key id sits in bytes 1-4 of every sealed blob (ENC-6).
  const signingKeyMasterIds = async () =>
    (await identityDb.query(`select private_key_sealed from signing_keys`)).rows.map((r) =>
      Buffer.from(r.private_key_sealed).readUInt32BE(1),
    );

  async function readEverySecret() {
    for (const s of stored) {
      const res = await api.get(s.path, { token: s.token() });
      expect([s.path, res.status]).toEqual([s.path, 200]);
      expect(res.body.secret_value).toBe(s.value);
      if (s.data) expect(res.body.data).toEqual(s.data);
    }
  }

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
    admin = await adminToken(sys);
    alice = await createUser(sys, admin);
    bob = await createUser(sys, admin);
    db = new pg.Client({ connectionString: sys.databaseUrl('vault') });
    await db.connect();
    identityDb = new pg.Client({ connectionString: sys.databaseUrl('identity') });
    await identityDb.connect();
  });
  afterAll(async () => {
    await identityDb?.end();
    await db?.end();
    await sys?.stop();
  });

  it('creates secrets in both scopes, each scope under its own data key wrapped by master key 1', async () => {
    for (const [user, who] of [
      [alice, 'alice'],
      [bob, 'bob'],
    ] as const) {
      for (const n of [1, 2]) {
        const value = `personal-${who}-${n}-${randomUUID()}`;
        const res = await api.post(
          '/api/v1/user-secrets',
          { service_name: 'svc', secret_key_name: `k${n}`, secret_value: value },
          { token: user.access_token },
        );
        expect(res.status).toBe(201);
        stored.push({ path: `/api/v1/user-secrets/${res.body.id}`, token: () => user.access_token, value });
      }
      // A value with history: version 1 must stay readable too.
      const last = stored.at(-1)!;
      const v2 = `${last.value}-v2`;
      expect((await api.put(last.path, { secret_value: v2 }, { token: user.access_token })).status).toBe(200);
      stored.push({ ...last, path: `${last.path}?version=1` });
      last.value = v2;
    }
    for (const name of ['Acme', 'Globex']) {
      const tenant = await api.post(
        '/api/v1/tenants',
        { name: `${name} ${randomUUID().slice(0, 8)}` },
        { token: alice.access_token },
      );
      expect(tenant.status).toBe(201);
      for (const environment of ['development', 'production']) {
        const value = `tenant-${name}-${environment}-${randomUUID()}`;
        const res = await eventually(async () => {
          const r = await api.post(
            '/api/v1/tenant-secrets',
            {
              tenant_id: tenant.body.id,
              environment,
              service_name: 'db',
              secret_key_name: 'password',
              secret_value: value,
            },
            { token: alice.access_token },
          );
          return r.status === 201 ? r : null;
        }, 10_000);
        stored.push({ path: `/api/v1/tenant-secrets/${res.body.id}`, token: () => alice.access_token, value });
      }
      const data = { pairs: { HOST: 'db.internal', PORT: '5432' } };
      const typed = await api.post(
        '/api/v1/tenant-secrets',
        { tenant_id: tenant.body.id, type: 'key_value', service_name: 'app', secret_key_name: 'env', data },
        { token: alice.access_token },
      );
      expect(typed.status).toBe(201);
      stored.push({
        path: `/api/v1/tenant-secrets/${typed.body.id}`,
        token: () => alice.access_token,
        value: typed.body.secret_value,
        data: typed.body.data,
      });
    }
    await readEverySecret();
    // Four scopes (two users, two tenants), one data key each, all under master key 1.
    expect(await masterKeyIds()).toEqual([{ master_key_id: 1, n: 4 }]);
  });

  it('re-seals every data key and signing key under the new master key 2 (admins only; the status counts both; a second run has nothing to do)', async () => {
    await sys.restartService('vault', { LOCKWELL_MASTER_KEY: `${sys.masterKey},${key2}` });
    await sys.restartService('identity', { LOCKWELL_MASTER_KEY: `${sys.masterKey},${key2}` });
    expect(await signingKeyMasterIds()).toEqual([1]);
    // With both keys in the ring, everything still reads before the rotation.
    await readEverySecret();

    const denied = await api.post('/api/v1/admin/master-key/rotate', {}, { token: alice.access_token });
    expect([denied.status, denied.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(await masterKeyIds()).toEqual([{ master_key_id: 1, n: 4 }]);
    expect((await api.post('/api/v1/admin/master-key/rotate', {}, {})).status).toBe(401);

    // The status counts what the rotation will do: the vault's four data keys and identity's signing key.
    const pending = await api.get('/api/v1/admin/master-key', { token: admin });
    expect(pending.body).toEqual({
      active_master_key_id: 2,
      key_ids: [1, 2],
      data_keys: [{ master_key_id: 1, count: 4 }],
      signing_keys: [{ master_key_id: 1, count: 1 }],
      remaining: 5,
    });
    expect((await api.get('/api/v1/admin/master-key', { token: alice.access_token })).status).toBe(403);

    const wrappedBefore = new Map(
      (await db.query(`select id, wrapped_key from data_keys`)).rows.map((r) => [
        r.id,
        Buffer.from(r.wrapped_key).toString('hex'),
      ]),
    );
    const rotated = await api.post('/api/v1/admin/master-key/rotate', { batch_size: 1 }, { token: admin });
    expect(rotated.status).toBe(200);
    // Four data keys and identity's one signing key: `remaining` counts every sealed key.
    expect(rotated.body).toEqual({ active_master_key_id: 2, rewrapped: 5, remaining: 0 });
    expect(await masterKeyIds()).toEqual([{ master_key_id: 2, n: 4 }]);
    expect(await signingKeyMasterIds()).toEqual([2]);
    for (const row of (await db.query(`select id, wrapped_key from data_keys`)).rows) {
      expect(Buffer.from(row.wrapped_key).toString('hex')).not.toBe(wrappedBefore.get(row.id));
    }

    const again = await api.post('/api/v1/admin/master-key/rotate', {}, { token: admin });
    expect(again.body).toEqual({ active_master_key_id: 2, rewrapped: 0, remaining: 0 });
    const done = await api.get('/api/v1/admin/master-key', { token: admin });
    expect(done.body).toEqual({
      active_master_key_id: 2,
      key_ids: [1, 2],
      data_keys: [{ master_key_id: 2, count: 4 }],
      signing_keys: [{ master_key_id: 2, count: 1 }],
      remaining: 0,
    });
  });

  it('runs with master key 2 alone: identity starts and signs, every secret reads back, writes go on', async () => {
    await sys.restartService('vault', { LOCKWELL_MASTER_KEY: key2 });
    await sys.restartService('identity', { LOCKWELL_MASTER_KEY: key2 });
    const fresh = await login(sys, alice.email, alice.password);
    alice.access_token = fresh.access_token;
    await readEverySecret();
    const value = `after-rotation-${randomUUID()}`;
    const created = await api.post(
      '/api/v1/user-secrets',
      { service_name: 'svc', secret_key_name: 'after', secret_value: value },
      { token: alice.access_token },
    );
    expect(created.status).toBe(201);
    expect(
      (await api.get(`/api/v1/user-secrets/${created.body.id}`, { token: alice.access_token })).body.secret_value,
    ).toBe(value);
    expect(await masterKeyIds()).toEqual([{ master_key_id: 2, n: 4 }]);
  });

  it('has the operator command (npm run lockwell -- rotate-master-key) report nothing left under an old key, without NATS', async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    for (const service of ['vault', 'identity'] as const) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [path.join(root, 'apps', service, 'dist/cli/main.js'), 'rotate-master-key'],
        {
          env: { PATH: process.env.PATH, DATABASE_URL: sys.databaseUrl(service), LOCKWELL_MASTER_KEY: key2 },
        },
      );
      expect({ service, result: JSON.parse(stdout) }).toEqual({
        service,
        result: { active_master_key_id: 2, rewrapped: 0, remaining: 0 },
      });
    }
  });
});
