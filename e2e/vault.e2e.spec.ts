import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { adminToken, createUser, type CreatedUser } from './support/auth.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

describe('vault through the gateway', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let admin: string;
  let alice: CreatedUser;
  let bob: CreatedUser;
  let tenantId: string;
  const canary = `CANARY-${randomUUID()}`;

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
    admin = await adminToken(sys);
    alice = await createUser(sys, admin);
    bob = await createUser(sys, admin);
    const tenant = await api.post(
      '/api/v1/tenants',
      { name: `Acme ${randomUUID().slice(0, 8)}` },
      { token: alice.access_token },
    );
    expect(tenant.status).toBe(201);
    tenantId = tenant.body.id;
  });
  afterAll(() => sys?.stop());

  it('runs the Hexel example as written: POST /user-secrets/ then GET, PUT and DELETE by id', async () => {
    const token = alice.access_token;
    const created = await api.post(
      '/api/v1/user-secrets/',
      { service_name: 'openai', secret_key_name: 'api_key', secret_value: `${canary}-hexel` },
      { token },
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body).toMatchObject({
      scope: 'user',
      owner_id: alice.id,
      service_name: 'openai',
      secret_key_name: 'api_key',
      secret_value: `${canary}-hexel`,
      version: 1,
      status: 'active',
    });
    const id = created.body.id;
    const read = await api.get(`/api/v1/user-secrets/${id}`, { token });
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body.secret_value).toBe(`${canary}-hexel`);
    const updated = await api.put(
      `/api/v1/user-secrets/${id}`,
      { secret_value: `${canary}-v2` },
      { token, headers: { 'if-match': '"1"' } },
    );
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    expect(
      (await api.put(`/api/v1/user-secrets/${id}`, { secret_value: 'x' }, { token, headers: { 'if-match': '"1"' } }))
        .status,
    ).toBe(412);
    expect((await api.get(`/api/v1/user-secrets/${id}?version=1`, { token })).body.secret_value).toBe(
      `${canary}-hexel`,
    );
    const list = await api.get('/api/v1/user-secrets/', { token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(id);
    expect(list.text).not.toContain(canary);
    expect((await api.delete(`/api/v1/user-secrets/${id}?mode=later`, { token })).status).toBe(400);
    expect((await api.delete(`/api/v1/user-secrets/${id}`, { token })).status).toBe(204);
    expect((await api.get(`/api/v1/user-secrets/${id}`, { token })).status).toBe(404);
  });

  it('rejects smuggled fields and bad input with 400, duplicates with 409', async () => {
    const token = alice.access_token;
    const smuggled = await api.post(
      '/api/v1/user-secrets',
      { service_name: 's', secret_key_name: 'k', secret_value: 'v', owner_id: bob.id },
      { token },
    );
    expect(smuggled.status).toBe(400);
    expect(smuggled.body.error.code).toBe('VALIDATION_FAILED');
    const body = { service_name: 'dup', secret_key_name: 'k', secret_value: 'v' };
    expect((await api.post('/api/v1/user-secrets', body, { token })).status).toBe(201);
    const dup = await api.post('/api/v1/user-secrets', body, { token });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('SECRET_ALREADY_EXISTS');
    expect((await api.get('/api/v1/user-secrets?limit=500', { token })).status).toBe(400);
    expect((await api.get('/api/v1/user-secrets?cursor=zzz', { token })).status).toBe(400);
    expect(
      (
        await api.post(
          '/api/v1/user-secrets',
          { service_name: 'c', secret_key_name: 'c', type: 'certificate', data: { certificate: 'not pem' } },
          { token },
        )
      ).status,
    ).toBe(400);
  });

  it('serves tenant secrets to members by role and never a value to anyone else', async () => {
    const owner = alice.access_token;
    expect(
      (await api.post(`/api/v1/tenants/${tenantId}/members`, { user_id: bob.id, role: 'viewer' }, { token: owner }))
        .status,
    ).toBe(201);
    const bobToken = (await import('./support/auth.js')).login(sys, bob.email, bob.password);
    const viewer = (await bobToken).access_token;
    const created = await api.post(
      '/api/v1/tenant-secrets/',
      { tenant_id: tenantId, service_name: 'db', secret_key_name: 'password', secret_value: `${canary}-tenant` },
      { token: owner },
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await api.get(`/api/v1/tenant-secrets/${id}`, { token: viewer })).body.secret_value).toBe(
      `${canary}-tenant`,
    );
    const write = await api.put(`/api/v1/tenant-secrets/${id}`, { secret_value: 'viewer-wrote' }, { token: viewer });
    expect(write.status).toBe(403);
    const outsider = await createUser(sys, admin);
    for (const res of [
      await api.get(`/api/v1/tenant-secrets/${id}`, { token: outsider.access_token }),
      await api.get(`/api/v1/user-secrets/${id}`, { token: owner }),
      await api.delete(`/api/v1/tenant-secrets/${id}`, { token: outsider.access_token }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(canary);
    }
    const foreignList = await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantId}`, { token: outsider.access_token });
    expect(foreignList.status).toBe(404);
    expect(foreignList.body.error.code).toBe('TENANT_NOT_FOUND');
    const list = await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantId}`, { token: viewer });
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
    const usage = await api.get(`/api/v1/tenant-secrets/${id}/usage`, { token: owner });
    expect(usage.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ consumer_type: 'user', consumer_id: bob.id })]),
    );
  });

  it('limits an environment-limited custom role to its environments', async () => {
    const role = await api.post(
      '/api/v1/roles',
      {
        name: `staging-reader-${randomUUID().slice(0, 6)}`,
        permissions: ['secrets:read@staging', 'secrets:list@staging'],
      },
      { token: admin },
    );
    expect(role.status).toBe(201);
    const carol = await createUser(sys, admin);
    expect(
      (
        await api.post(
          `/api/v1/tenants/${tenantId}/members`,
          { user_id: carol.id, role: role.body.id },
          { token: alice.access_token },
        )
      ).status,
    ).toBe(201);
    const prod = await api.post(
      '/api/v1/tenant-secrets',
      {
        tenant_id: tenantId,
        service_name: 'pay',
        secret_key_name: 'key',
        environment: 'production',
        secret_value: `${canary}-prod`,
      },
      { token: alice.access_token },
    );
    const stg = await api.post(
      '/api/v1/tenant-secrets',
      {
        tenant_id: tenantId,
        service_name: 'pay',
        secret_key_name: 'key',
        environment: 'staging',
        secret_value: 'staging-value',
      },
      { token: alice.access_token },
    );
    const carolToken = (await (await import('./support/auth.js')).login(sys, carol.email, carol.password)).access_token;
    const denied = await api.get(`/api/v1/tenant-secrets/${prod.body.id}`, { token: carolToken });
    expect(denied.status).toBe(403);
    expect(denied.text).not.toContain(canary);
    expect((await api.get(`/api/v1/tenant-secrets/${stg.body.id}`, { token: carolToken })).body.secret_value).toBe(
      'staging-value',
    );
    const list = await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantId}`, { token: carolToken });
    expect(list.body.items.map((i: { environment: string }) => i.environment)).toEqual(['staging']);
  });

  it('stores no plaintext anywhere in the vault database (ENC-1)', async () => {
    const client = new pg.Client({ connectionString: sys.databaseUrl('vault') });
    await client.connect();
    try {
      const { rows: columns } = await client.query(
        `select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' and data_type in ('text', 'bytea', 'jsonb', 'json', 'character varying')`,
      );
      let hits = 0;
      for (const c of columns) {
        const expr = c.data_type === 'bytea' ? `encode("${c.column_name}", 'escape')` : `"${c.column_name}"::text`;
        const { rows } = await client.query(`select count(*)::int as n from "${c.table_name}" where ${expr} like $1`, [
          `%${canary}%`,
        ]);
        hits += rows[0].n;
      }
      expect(hits).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('lets only keys:rotate holders re-wrap data keys, and every secret still reads afterwards', async () => {
    expect((await api.post('/api/v1/admin/master-key/rotate', {}, { token: alice.access_token })).status).toBe(403);
    const res = await api.post('/api/v1/admin/master-key/rotate', {}, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active_master_key_id: 1, remaining: 0 });
    const list = await api.get('/api/v1/user-secrets', { token: alice.access_token });
    for (const item of list.body.items)
      expect((await api.get(`/api/v1/user-secrets/${item.id}`, { token: alice.access_token })).status).toBe(200);
  });
});
