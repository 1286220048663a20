// Tenant deletion through the gateway: the saga runs over real NATS across tenants, vault, connectors and
// notifications, and afterwards no secret row and no data key of the tenant is left in any database.
import pg from 'pg';
import { adminToken, createUser, addMember } from './support/auth.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';
import { eventually } from '@lockwell/testing';

async function query(url: string, sql: string, params: unknown[]): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('tenant deletion through the gateway', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('answers 202 deleting, then removes the tenant, its members, its secrets and its data key everywhere', async () => {
    const admin = await adminToken(sys);
    const owner = await createUser(sys, admin, { full_name: 'Doomed owner' });
    const member = await createUser(sys, admin, { full_name: 'Doomed member' });
    const t = await api.post('/api/v1/tenants', { name: 'Doomed' }, { token: owner.access_token });
    expect(t.status).toBe(201);
    const tenantId: string = t.body.id;
    await addMember(sys, owner.access_token, tenantId, member.id);
    for (const key of ['one', 'two']) {
      const s = await api.post(
        '/api/v1/tenant-secrets',
        { tenant_id: tenantId, service_name: 'stripe', secret_key_name: key, secret_value: `sk_live_${key}` },
        { token: member.access_token },
      );
      expect(s.status).toBe(201);
    }
    const vault = sys.databaseUrl('vault');
    const secretIds = (
      (await query(vault, 'select id from secrets where tenant_id = $1', [tenantId])) as { id: string }[]
    ).map((r) => r.id);
    expect(secretIds).toHaveLength(2);
    expect(
      (await query(vault, 'select 1 from secret_versions where secret_id = any($1)', [secretIds])).length,
    ).toBeGreaterThan(0);
    expect(
      (await query(vault, `select 1 from data_keys where scope_type = 'tenant' and scope_id = $1`, [tenantId])).length,
    ).toBeGreaterThan(0);

    expect((await api.delete(`/api/v1/tenants/${tenantId}`, { token: member.access_token })).status).toBe(403);
    const del = await api.delete(`/api/v1/tenants/${tenantId}`, { token: owner.access_token });
    expect(del.status).toBe(202);
    expect(del.body).toMatchObject({ id: tenantId, status: 'deleting' });

    await eventually(
      async () => (await api.get(`/api/v1/tenants/${tenantId}`, { token: owner.access_token })).status === 404,
      15_000,
    );
    expect((await api.get(`/api/v1/tenants/${tenantId}/members`, { token: owner.access_token })).status).toBe(404);
    expect((await api.get('/api/v1/tenants', { token: member.access_token })).body.items).toEqual([]);

    expect(await query(vault, 'select id from secrets where tenant_id = $1', [tenantId])).toEqual([]);
    expect(await query(vault, 'select 1 from secret_versions where secret_id = any($1)', [secretIds])).toEqual([]);
    expect(
      await query(vault, `select 1 from data_keys where scope_type = 'tenant' and scope_id = $1`, [tenantId]),
    ).toEqual([]);
    const tenants = sys.databaseUrl('tenants');
    expect(await query(tenants, 'select 1 from tenants where id = $1', [tenantId])).toEqual([]);
    expect(await query(tenants, 'select 1 from memberships where tenant_id = $1', [tenantId])).toEqual([]);
    const [saga] = (await query(tenants, 'select * from tenant_deletions where tenant_id = $1', [tenantId])) as Record<
      string,
      unknown
    >[];
    expect(
      saga.vault_purged_at && saga.connectors_purged_at && saga.notifications_purged_at && saga.completed_at,
    ).toBeTruthy();
  });
});
