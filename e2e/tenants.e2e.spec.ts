// Tenants and memberships through the gateway: every route, no existence leak, member management rules,
// last-owner protection, and AZ-6 (a demotion applies to the very next request with an old access token).
import { adminToken, createUser, addMember } from './support/auth.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

describe('tenants through the gateway', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let admin: string;
  let owner: Awaited<ReturnType<typeof createUser>>;
  let adminOfT: Awaited<ReturnType<typeof createUser>>;
  let member: Awaited<ReturnType<typeof createUser>>;
  let outsider: Awaited<ReturnType<typeof createUser>>;
  let tenantId: string;

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
    admin = await adminToken(sys);
    [owner, adminOfT, member, outsider] = await Promise.all(
      ['owner', 'tadmin', 'member', 'outsider'].map((n) => createUser(sys, admin, { full_name: `Tenant ${n}` })),
    );
    const created = await api.post(
      '/api/v1/tenants',
      { name: 'Acme Production', description: 'prod' },
      { token: owner.access_token },
    );
    expect(created.status).toBe(201);
    tenantId = created.body.id;
    expect(
      (
        await api.post(
          `/api/v1/tenants/${tenantId}/members`,
          { user_id: adminOfT.id, role: 'admin' },
          { token: owner.access_token },
        )
      ).status,
    ).toBe(201);
    await addMember(sys, owner.access_token, tenantId, member.id);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('creates a tenant with the caller as owner and a slug derived from the name', async () => {
    const res = await api.get(`/api/v1/tenants/${tenantId}`, { token: owner.access_token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: tenantId,
      name: 'Acme Production',
      slug: 'acme-production',
      description: 'prod',
      status: 'active',
      role: 'owner',
      created_by: owner.id,
    });
  });

  it('rejects unknown body fields and bad slugs with 400, and a taken slug with 409 SLUG_TAKEN', async () => {
    const smuggled = await api.post(
      '/api/v1/tenants',
      { name: 'X', owner_id: outsider.id },
      { token: outsider.access_token },
    );
    expect(smuggled.status).toBe(400);
    expect(smuggled.body.error.code).toBe('VALIDATION_FAILED');
    expect(
      (await api.post('/api/v1/tenants', { name: 'X', slug: 'No Spaces' }, { token: outsider.access_token })).status,
    ).toBe(400);
    const taken = await api.post(
      '/api/v1/tenants',
      { name: 'X', slug: 'acme-production' },
      { token: outsider.access_token },
    );
    expect([taken.status, taken.body.error.code]).toEqual([409, 'SLUG_TAKEN']);
    expect(
      (
        await api.post(
          `/api/v1/tenants/${tenantId}/members`,
          { user_id: outsider.id, role: 'viewer', tenant_id: tenantId },
          { token: owner.access_token },
        )
      ).status,
    ).toBe(400);
  });

  it("lists the caller's tenants; the installation admin sees all", async () => {
    const mine = await api.get('/api/v1/tenants', { token: member.access_token });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((t: { id: string }) => t.id)).toEqual([tenantId]);
    expect(mine.body.items[0].role).toBe('member');
    expect(
      (await api.get('/api/v1/tenants', { token: outsider.access_token })).body.items.map((t: { id: string }) => t.id),
    ).not.toContain(tenantId);
    const all = await api.get('/api/v1/tenants?q=acme', { token: admin });
    expect(all.body.items.map((t: { id: string }) => t.id)).toContain(tenantId);
    expect((await api.get('/api/v1/tenants?scope=all', { token: member.access_token })).status).toBe(403);
    expect((await api.get('/api/v1/tenants?limit=201', { token: member.access_token })).status).toBe(400);
  });

  it('lets owners and admins update, refuses members with 403', async () => {
    const byAdmin = await api.put(
      `/api/v1/tenants/${tenantId}`,
      { description: 'edited by admin' },
      { token: adminOfT.access_token },
    );
    expect([byAdmin.status, byAdmin.body.description]).toEqual([200, 'edited by admin']);
    expect(
      (await api.put(`/api/v1/tenants/${tenantId}`, { name: 'Nope' }, { token: member.access_token })).status,
    ).toBe(403);
    expect((await api.put(`/api/v1/tenants/${tenantId}`, {}, { token: owner.access_token })).status).toBe(400);
  });

  it('lists members with email and full name', async () => {
    const res = await api.get(`/api/v1/tenants/${tenantId}/members`, { token: member.access_token });
    expect(res.status).toBe(200);
    const byUser = Object.fromEntries(res.body.items.map((m: { user_id: string }) => [m.user_id, m]));
    expect(byUser[owner.id]).toMatchObject({ role: 'owner', email: owner.email, full_name: 'Tenant owner' });
    expect(byUser[member.id]).toMatchObject({ role: 'member', email: member.email });
  });

  it('answers 404 TENANT_NOT_FOUND to an outsider on every tenant route, exactly like an unknown id', async () => {
    const t = outsider.access_token;
    const base = `/api/v1/tenants/${tenantId}`;
    const calls = [
      api.get(base, { token: t }),
      api.put(base, { name: 'x' }, { token: t }),
      api.delete(base, { token: t }),
      api.get(`${base}/members`, { token: t }),
      api.post(`${base}/members`, { user_id: outsider.id, role: 'owner' }, { token: t }),
      api.put(`${base}/members/${member.id}`, { role: 'viewer' }, { token: t }),
      api.delete(`${base}/members/${member.id}`, { token: t }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('TENANT_NOT_FOUND');
    }
    const unknown = await api.get('/api/v1/tenants/6c2b1a3e-0d4f-4e8a-9b7c-5d6e7f8a9b0c', { token: t });
    expect({ status: unknown.status, code: unknown.body.error.code, message: unknown.body.error.message }).toEqual({
      status: 404,
      code: 'TENANT_NOT_FOUND',
      message: (await api.get(base, { token: t })).body.error.message,
    });
  });

  it('does not let a member manage members', async () => {
    const base = `/api/v1/tenants/${tenantId}/members`;
    expect(
      (await api.post(base, { user_id: outsider.id, role: 'viewer' }, { token: member.access_token })).status,
    ).toBe(403);
    expect((await api.put(`${base}/${member.id}`, { role: 'admin' }, { token: member.access_token })).status).toBe(403);
    expect((await api.delete(`${base}/${adminOfT.id}`, { token: member.access_token })).status).toBe(403);
    expect((await api.delete(`/api/v1/tenants/${tenantId}`, { token: member.access_token })).status).toBe(403);
  });

  it('protects the last owner (409 LAST_OWNER) and lets only owners touch the owner role', async () => {
    const base = `/api/v1/tenants/${tenantId}/members`;
    const demote = await api.put(`${base}/${owner.id}`, { role: 'admin' }, { token: owner.access_token });
    expect([demote.status, demote.body.error.code]).toEqual([409, 'LAST_OWNER']);
    const leave = await api.delete(`${base}/${owner.id}`, { token: owner.access_token });
    expect([leave.status, leave.body.error.code]).toEqual([409, 'LAST_OWNER']);
    expect((await api.put(`${base}/${member.id}`, { role: 'owner' }, { token: adminOfT.access_token })).status).toBe(
      403,
    );
    expect((await api.delete(`${base}/${owner.id}`, { token: adminOfT.access_token })).status).toBe(403);
  });

  it('adds, re-roles and removes a member (and lets a member leave)', async () => {
    const guest = await createUser(sys, admin, { full_name: 'Guest' });
    const base = `/api/v1/tenants/${tenantId}/members`;
    const added = await api.post(base, { user_id: guest.id, role: 'viewer' }, { token: adminOfT.access_token });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ user_id: guest.id, role: 'viewer', email: guest.email });
    expect(
      (await api.post(base, { user_id: guest.id, role: 'viewer' }, { token: owner.access_token })).body.error.code,
    ).toBe('ALREADY_MEMBER');
    const changed = await api.put(`${base}/${guest.id}`, { role: 'member' }, { token: adminOfT.access_token });
    expect([changed.status, changed.body.role]).toEqual([200, 'member']);
    expect((await api.delete(`${base}/${guest.id}`, { token: guest.access_token })).status).toBe(204);
    expect((await api.get(`/api/v1/tenants/${tenantId}`, { token: guest.access_token })).status).toBe(404);
    expect(
      (
        await api.post(
          base,
          { user_id: '6c2b1a3e-0d4f-4e8a-9b7c-5d6e7f8a9b0c', role: 'viewer' },
          { token: owner.access_token },
        )
      ).body.error.code,
    ).toBe('USER_NOT_FOUND');
  });

  it('AZ-6: a demoted admin loses admin rights on the very next request with the same old access token', async () => {
    const base = `/api/v1/tenants/${tenantId}/members`;
    const token = adminOfT.access_token;
    const secret = (key: string) => ({
      tenant_id: tenantId,
      service_name: 'stripe',
      secret_key_name: key,
      secret_value: `sk_test_${key}`,
    });
    // Warm every cache the gateway keeps for this token, and prove the admin could write before.
    expect((await api.get(base, { token })).status).toBe(200);
    expect((await api.put(`/api/v1/tenants/${tenantId}`, { description: 'still admin' }, { token })).status).toBe(200);
    expect((await api.post('/api/v1/tenant-secrets', secret('before'), { token })).status).toBe(201);
    expect((await api.put(`${base}/${adminOfT.id}`, { role: 'viewer' }, { token: owner.access_token })).status).toBe(
      200,
    );
    expect((await api.put(`/api/v1/tenants/${tenantId}`, { description: 'no longer' }, { token })).status).toBe(403);
    expect((await api.post(base, { user_id: outsider.id, role: 'viewer' }, { token })).status).toBe(403);
    // The same holds where the gateway's cached principal decides: vault refuses a tenant-secret write at once.
    expect((await api.post('/api/v1/tenant-secrets', secret('after'), { token })).status).toBe(403);
  });

  it('documents the routes in OpenAPI, DELETE as 202 Accepted', async () => {
    const doc = (await api.get('/docs/json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/tenants',
        '/api/v1/tenants/{tenant_id}',
        '/api/v1/tenants/{tenant_id}/members',
        '/api/v1/tenants/{tenant_id}/members/{user_id}',
      ]),
    );
    expect(doc.paths['/api/v1/tenants/{tenant_id}'].delete.responses['202']).toBeDefined();
  });
});
