import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { GLOBAL_PERMISSIONS } from '@lockwell/contracts';
import { auditRecordsWhere, eventually } from '@lockwell/testing';
import { startSystem, type TestSystem } from './support/system.js';
import { clientFor } from './support/http.js';
import { adminToken, createUser, login, type CreatedUser } from './support/auth.js';

// DELETE /api/v1/users/{user_id} (extension): the user's credentials stop working at once, the vault
// crypto-shreds their personal secrets (rows and data key gone) and tenants removes their memberships within
// the documented delay, through identity's outbox and the UserDeleted consumers. The only owner of a tenant
// cannot be deleted (409 LAST_OWNER), so no tenant is left without an owner.
const SHRED_DELAY_MS = 5000; // README "Identity and access": "within seconds"

describe('identity: deleting a user', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let admin: string;

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
    admin = await adminToken(sys);
  });
  afterAll(() => sys?.stop());

  async function vaultRows(userId: string) {
    const client = new pg.Client({ connectionString: sys.databaseUrl('vault') });
    await client.connect();
    try {
      const count = async (sql: string) => Number((await client.query<{ n: string }>(sql, [userId])).rows[0]!.n);
      return {
        secrets: await count(`select count(*) as n from secrets where owner_id = $1`),
        versions: await count(
          `select count(*) as n from secret_versions v join secrets s on s.id = v.secret_id where s.owner_id = $1`,
        ),
        dataKeys: await count(`select count(*) as n from data_keys where scope_type = 'user' and scope_id = $1`),
        purged: await count(`select count(*) as n from purged_scopes where scope_type = 'user' and scope_id = $1`),
      };
    } finally {
      await client.end();
    }
  }

  const memberIds = async (tenantId: string, token: string): Promise<string[]> => {
    const res = await api.get(`/api/v1/tenants/${tenantId}/members`, { token });
    expect(res.status).toBe(200);
    return (res.body.items as { user_id: string }[]).map((m) => m.user_id);
  };
  const makeOwner = async (tenantId: string, by: CreatedUser, who: CreatedUser) =>
    expect(
      (
        await api.post(
          `/api/v1/tenants/${tenantId}/members`,
          { user_id: who.id, role: 'owner' },
          { token: by.access_token },
        )
      ).status,
    ).toBe(201);

  it("ends the user's sessions and API tokens at once, shreds their personal secrets in the vault, and removes their memberships", async () => {
    const user = await createUser(sys, admin);
    const ids: string[] = [];
    for (const [name, value] of [
      ['github', 'ghp_doomed'],
      ['aws', 'AKIA-doomed'],
    ]) {
      const s = await api.post(
        '/api/v1/user-secrets',
        { service_name: name, secret_key_name: 'token', secret_value: value },
        { token: user.access_token },
      );
      expect(s.status).toBe(201);
      ids.push(s.body.id);
    }
    await api.put(`/api/v1/user-secrets/${ids[0]}`, { secret_value: 'ghp_doomed_v2' }, { token: user.access_token });
    const tenant = await api.post(
      '/api/v1/tenants',
      { name: `Kept ${randomUUID().slice(0, 6)}` },
      { token: user.access_token },
    );
    const shared = await api.post(
      '/api/v1/tenant-secrets',
      { tenant_id: tenant.body.id, service_name: 'db', secret_key_name: 'pw', secret_value: 'shared' },
      { token: user.access_token },
    );
    const apiToken = await api.post(
      '/api/v1/tokens/api',
      { name: 'ci', tenant_id: tenant.body.id, permissions: ['secrets:read'] },
      { token: user.access_token },
    );
    expect(apiToken.status).toBe(201);
    expect((await api.get(`/api/v1/tenant-secrets/${shared.body.id}`, { token: apiToken.body.token })).status).toBe(
      200,
    );
    expect(await vaultRows(user.id)).toEqual({ secrets: 2, versions: 3, dataKeys: 1, purged: 0 });
    const coOwner = await createUser(sys, admin);
    await makeOwner(tenant.body.id, user, coOwner);

    const res = await api.delete(`/api/v1/users/${user.id}`, { token: admin });
    expect(res.status).toBe(204);

    expect((await api.get('/api/v1/users/me', { token: user.access_token })).status).toBe(401);
    expect((await api.get(`/api/v1/tenant-secrets/${shared.body.id}`, { token: apiToken.body.token })).status).toBe(
      401,
    );
    expect((await api.post('/api/v1/auth/refresh', { refresh_token: user.refresh_token })).status).toBe(401);
    await expect(login(sys, user.email, user.password)).rejects.toThrow(/401/);
    expect((await api.get(`/api/v1/users/${user.id}`, { token: admin })).status).toBe(404);

    const started = Date.now();
    await eventually(async () => (await vaultRows(user.id)).purged === 1, SHRED_DELAY_MS);
    expect(Date.now() - started).toBeLessThan(SHRED_DELAY_MS);
    expect(await vaultRows(user.id)).toEqual({ secrets: 0, versions: 0, dataKeys: 0, purged: 1 });
    await eventually(
      async () => !(await memberIds(tenant.body.id, coOwner.access_token)).includes(user.id),
      SHRED_DELAY_MS,
    );
    expect(await memberIds(tenant.body.id, coOwner.access_token)).toEqual([coOwner.id]);

    const [deleted] = await auditRecordsWhere(
      sys.nats,
      (r) => r.data.action === 'user.delete' && r.data.resource_id === user.id,
    );
    expect(deleted!.data).toMatchObject({ outcome: 'success', detail: { revoked_sessions: 1, revoked_api_tokens: 1 } });
    // The vault's record (connectors writes its own user.purge for the user's connections).
    const [purge] = await auditRecordsWhere(
      sys.nats,
      (r) => r.data.action === 'user.purge' && r.data.resource_id === user.id && r.data.actor.id === 'vault',
    );
    expect(purge!.data).toMatchObject({ actor: { type: 'system', id: 'vault' }, detail: { secrets_destroyed: 2 } });
    const [left] = await auditRecordsWhere(
      sys.nats,
      (r) => r.data.action === 'member.remove' && r.data.resource_id === user.id,
    );
    expect(left!.data).toMatchObject({
      actor: { type: 'system', id: 'tenants' },
      tenant_id: tenant.body.id,
      detail: { previous_role: 'owner', reason: 'user_deleted' },
    });
    // The tenant's secrets are the tenant's: they stay.
    const client = new pg.Client({ connectionString: sys.databaseUrl('vault') });
    await client.connect();
    const kept = await client
      .query(`select 1 from secrets where id = $1`, [shared.body.id])
      .finally(() => client.end());
    expect(kept.rowCount).toBe(1);
  });

  it('refuses to delete the only owner of a tenant with 409 LAST_OWNER, changing nothing, until someone else owns it too', async () => {
    const owner = await createUser(sys, admin);
    const tenant = await api.post(
      '/api/v1/tenants',
      { name: `Solo ${randomUUID().slice(0, 6)}` },
      { token: owner.access_token },
    );
    expect(tenant.status).toBe(201);
    const refused = await api.delete(`/api/v1/users/${owner.id}`, { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'LAST_OWNER',
      details: [{ field: 'tenant_ids', issue: `only owner of tenant ${tenant.body.id}` }],
    });
    expect((await api.get('/api/v1/users/me', { token: owner.access_token })).status).toBe(200);
    expect(await memberIds(tenant.body.id, owner.access_token)).toEqual([owner.id]);

    const heir = await createUser(sys, admin);
    await makeOwner(tenant.body.id, owner, heir);
    expect((await api.delete(`/api/v1/users/${owner.id}`, { token: admin })).status).toBe(204);
    await eventually(async () => (await memberIds(tenant.body.id, heir.access_token)).length === 1, SHRED_DELAY_MS);
    expect(await memberIds(tenant.body.id, heir.access_token)).toEqual([heir.id]);
  });

  it('lets only user administrators delete users, never themselves, never a stronger user, and never the last administrator', async () => {
    const bystander = await createUser(sys, admin);
    const target = await createUser(sys, admin);
    const refused = await api.delete(`/api/v1/users/${target.id}`, { token: bystander.access_token });
    expect(refused.status).toBe(403);
    expect((await api.get('/api/v1/users/me', { token: target.access_token })).status).toBe(200);

    const me = (await api.get('/api/v1/users/me', { token: admin })).body.id as string;
    const self = await api.delete(`/api/v1/users/${me}`, { token: admin });
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('INVALID_STATE');
    expect((await api.delete(`/api/v1/users/${randomUUID()}`, { token: admin })).status).toBe(404);

    // A user manager who is not an administrator cannot delete one (no acting on a stronger user).
    const role = await api.post(
      '/api/v1/roles',
      { name: `user-managers-${randomUUID().slice(0, 6)}`, permissions: ['users:manage', 'users:read'] },
      { token: admin },
    );
    expect(role.status).toBe(201);
    const manager = await createUser(sys, admin, { roles: [role.body.name] });
    const stronger = await api.delete(`/api/v1/users/${me}`, { token: manager.access_token });
    expect(stronger.status).toBe(403);
    expect(stronger.body.error.code).toBe('FORBIDDEN');
    expect((await api.get('/api/v1/users/me', { token: admin })).status).toBe(200);
    // A user holding every global permission through a custom role may, but not the last administrator.
    const superRole = await api.post(
      '/api/v1/roles',
      { name: `all-powers-${randomUUID().slice(0, 6)}`, permissions: [...GLOBAL_PERMISSIONS] },
      { token: admin },
    );
    expect(superRole.status).toBe(201);
    const deputy = await createUser(sys, admin, { roles: [superRole.body.name] });
    const last = await api.delete(`/api/v1/users/${me}`, { token: deputy.access_token });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('INVALID_STATE');
    expect((await api.get('/api/v1/users/me', { token: admin })).status).toBe(200);
    expect((await api.delete(`/api/v1/users/${target.id}`, { token: manager.access_token })).status).toBe(204);
  });
});
