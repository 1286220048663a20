// Holes 2-5 of issue 15 and their smaller relatives, each attacked through the gateway: no caller (user or
// API token) can grant, assign, create or widen a role, a membership or a token beyond what it holds itself
// in that scope, and no write hands back a value the caller may not read.
import { randomUUID } from 'node:crypto';
import { eventually } from '@lockwell/testing';
import { adminToken, createUser, type CreatedUser } from './support/auth.js';
import { clientFor } from './support/http.js';
import { ADMIN, startSystem, type TestSystem } from './support/system.js';

describe('no climbing from a narrow grant to a wide one', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let admin: string;

  /** Creates an API token as `userToken`, once the gateway sees the creator's fresh memberships. */
  async function apiToken(userToken: string, body: { tenant_id?: string; permissions: string[] }): Promise<string> {
    const res = await eventually(async () => {
      const r = await api.post(
        '/api/v1/tokens/api',
        { name: `t-${randomUUID().slice(0, 6)}`, ...body },
        { token: userToken },
      );
      return r.status === 201 ? r : null;
    }, 10_000);
    return res.body.token;
  }

  async function tenantOf(owner: CreatedUser): Promise<string> {
    const res = await api.post(
      '/api/v1/tenants',
      { name: `T ${randomUUID().slice(0, 8)}` },
      { token: owner.access_token },
    );
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const roleOf = async (tenantId: string, userId: string, token: string) =>
    (await api.get(`/api/v1/tenants/${tenantId}/members`, { token })).body.items.find(
      (m: { user_id: string }) => m.user_id === userId,
    )?.role ?? null;

  async function customRole(permissions: string[]): Promise<string> {
    const res = await api.post(
      '/api/v1/roles',
      { name: `r-${randomUUID().slice(0, 8)}`, permissions },
      { token: admin },
    );
    expect(res.status).toBe(201);
    return res.body.id;
  }

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
    admin = await adminToken(sys);
  });
  afterAll(() => sys?.stop());

  it("hole 2: an owner's narrow token (members:manage) can neither mint an owner nor demote one", async () => {
    const [alice, bob, carol] = await Promise.all([
      createUser(sys, admin),
      createUser(sys, admin),
      createUser(sys, admin),
    ]);
    const tenantId = await tenantOf(alice);
    expect(
      (
        await api.post(
          `/api/v1/tenants/${tenantId}/members`,
          { user_id: carol.id, role: 'owner' },
          { token: alice.access_token },
        )
      ).status,
    ).toBe(201);
    const token = await apiToken(alice.access_token, {
      tenant_id: tenantId,
      permissions: ['tenant:read', 'members:read', 'members:manage'],
    });

    const mint = await api.post(`/api/v1/tenants/${tenantId}/members`, { user_id: bob.id, role: 'owner' }, { token });
    expect([mint.status, mint.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(
      (await api.put(`/api/v1/tenants/${tenantId}/members/${carol.id}`, { role: 'member' }, { token })).status,
    ).toBe(403);
    expect((await api.delete(`/api/v1/tenants/${tenantId}/members/${carol.id}`, { token })).status).toBe(403);
    // Nor any role granting what the token lacks (admin, viewer hold secrets permissions it has not).
    expect(
      (await api.post(`/api/v1/tenants/${tenantId}/members`, { user_id: bob.id, role: 'admin' }, { token })).status,
    ).toBe(403);
    expect(
      (await api.post(`/api/v1/tenants/${tenantId}/members`, { user_id: bob.id, role: 'viewer' }, { token })).status,
    ).toBe(403);
    expect(await roleOf(tenantId, carol.id, alice.access_token)).toBe('owner');
    expect(await roleOf(tenantId, bob.id, alice.access_token)).toBeNull();
    // Within its own powers it still works: a custom role holding only tenant:read.
    const reader = await customRole(['tenant:read']);
    expect(
      (await api.post(`/api/v1/tenants/${tenantId}/members`, { user_id: bob.id, role: reader }, { token })).status,
    ).toBe(201);
    // The owner herself (her user token) still mints owners.
    expect(
      (await api.put(`/api/v1/tenants/${tenantId}/members/${bob.id}`, { role: 'owner' }, { token: alice.access_token }))
        .status,
    ).toBe(200);
  });

  it("a member's API token cannot remove its creator from the tenant without members:manage", async () => {
    const [alice, dave] = await Promise.all([createUser(sys, admin), createUser(sys, admin)]);
    const tenantId = await tenantOf(alice);
    expect(
      (
        await api.post(
          `/api/v1/tenants/${tenantId}/members`,
          { user_id: dave.id, role: 'member' },
          { token: alice.access_token },
        )
      ).status,
    ).toBe(201);
    const token = await apiToken(dave.access_token, {
      tenant_id: tenantId,
      permissions: ['tenant:read', 'secrets:read'],
    });
    expect((await api.delete(`/api/v1/tenants/${tenantId}/members/${dave.id}`, { token })).status).toBe(403);
    expect(await roleOf(tenantId, dave.id, alice.access_token)).toBe('member');
    // Dave himself may leave.
    expect(
      (await api.delete(`/api/v1/tenants/${tenantId}/members/${dave.id}`, { token: dave.access_token })).status,
    ).toBe(204);
  });

  it('hole 3: users:manage cannot make itself or anyone an installation admin, nor act on a stronger user', async () => {
    const managers = await customRole(['users:read', 'users:manage']);
    const mallory = await createUser(sys, admin, { roles: [managers] });
    const escalate = await api.put(
      `/api/v1/users/${mallory.id}`,
      { roles: [managers, 'admin'] },
      { token: mallory.access_token },
    );
    expect([escalate.status, escalate.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect((await api.get('/api/v1/profile', { token: mallory.access_token })).body.global_roles).toEqual([
      expect.stringMatching(/^r-/),
    ]);
    const minted = await api.post(
      '/api/v1/users',
      {
        email: `m-${randomUUID()}@lockwell.test`,
        password: 'a-long-enough-passphrase',
        full_name: 'Minion',
        roles: ['admin'],
      },
      { token: mallory.access_token },
    );
    expect(minted.status).toBe(403);
    const adminId = (await api.get('/api/v1/users/me', { token: admin })).body.id;
    expect(
      (await api.put(`/api/v1/users/${adminId}`, { status: 'disabled' }, { token: mallory.access_token })).status,
    ).toBe(403);
    expect(
      (await api.put(`/api/v1/users/${adminId}`, { roles: ['member'] }, { token: mallory.access_token })).status,
    ).toBe(403);
    expect((await api.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
    // What users:manage is for still works: plain users, within the manager's own powers.
    const plain = await api.post(
      '/api/v1/users',
      { email: `p-${randomUUID()}@lockwell.test`, password: 'a-long-enough-passphrase', full_name: 'Plain' },
      { token: mallory.access_token },
    );
    expect(plain.status).toBe(201);
    expect(
      (
        await api.put(
          `/api/v1/users/${plain.body.id}`,
          { full_name: 'Renamed', roles: ['viewer'] },
          { token: mallory.access_token },
        )
      ).status,
    ).toBe(200);
  });

  it('hole 4: roles:manage cannot widen its own role, create a role beyond its powers, or widen a role in tenants where it holds less', async () => {
    const roleManagers = await customRole(['roles:manage']);
    const rex = await createUser(sys, admin, { roles: [roleManagers] });
    const widen = await api.put(
      `/api/v1/roles/${roleManagers}`,
      { permissions: ['roles:manage', 'keys:rotate', 'audit:read-all', 'users:manage'] },
      { token: rex.access_token },
    );
    expect([widen.status, widen.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect((await api.get(`/api/v1/roles/${roleManagers}`, { token: rex.access_token })).body.permissions).toEqual([
      'roles:manage',
    ]);
    expect(
      (
        await api.post(
          '/api/v1/roles',
          { name: `k-${randomUUID().slice(0, 8)}`, permissions: ['keys:rotate'] },
          { token: rex.access_token },
        )
      ).status,
    ).toBe(403);
    // A tenant role Rex holds in Alice's tenant: widening it would widen Rex there.
    const alice = await createUser(sys, admin);
    const tenantId = await tenantOf(alice);
    const dev = await customRole(['tenant:read', 'secrets:list']);
    expect(
      (
        await api.post(
          `/api/v1/tenants/${tenantId}/members`,
          { user_id: rex.id, role: dev },
          { token: alice.access_token },
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await api.put(
          `/api/v1/roles/${dev}`,
          { permissions: ['tenant:read', 'secrets:list', 'members:manage', 'tenant:delete'] },
          { token: rex.access_token },
        )
      ).status,
    ).toBe(403);
    expect((await api.delete(`/api/v1/tenants/${tenantId}`, { token: rex.access_token })).status).toBe(403);
    // Creating a role that only names tenant permissions is fine: assigning it is checked in each tenant.
    expect(
      (
        await api.post(
          '/api/v1/roles',
          { name: `t-${randomUUID().slice(0, 8)}`, permissions: ['tenant:read'] },
          { token: rex.access_token },
        )
      ).status,
    ).toBe(201);
  });

  it('hole 5: moving a secret to another environment needs read and write in both, and never returns a value it may not read', async () => {
    const alice = await createUser(sys, admin);
    const tenantId = await tenantOf(alice);
    const created = await eventually(async () => {
      const r = await api.post(
        '/api/v1/tenant-secrets',
        {
          tenant_id: tenantId,
          environment: 'production',
          service_name: 'db',
          secret_key_name: 'pw',
          secret_value: 'PROD-V1',
        },
        { token: alice.access_token },
      );
      return r.status === 201 ? r : null;
    });
    const id = created.body.id;
    expect(
      (await api.put(`/api/v1/tenant-secrets/${id}`, { secret_value: 'PROD-V2' }, { token: alice.access_token }))
        .status,
    ).toBe(200);

    const narrow = await apiToken(alice.access_token, {
      tenant_id: tenantId,
      permissions: ['secrets:write', 'secrets:read@staging'],
    });
    const move = await api.put(`/api/v1/tenant-secrets/${id}`, { environment: 'staging' }, { token: narrow });
    expect([move.status, move.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(move.text).not.toContain('PROD-V');
    for (const v of ['', '?version=1', '?version=2']) {
      const read = await api.get(`/api/v1/tenant-secrets/${id}${v}`, { token: narrow });
      expect([read.status, read.text.includes('PROD-V')]).toEqual([403, false]);
    }
    expect((await api.get(`/api/v1/tenant-secrets/${id}`, { token: alice.access_token })).body.environment).toBe(
      'production',
    );
    // Write in both but read only in the target: still no.
    const writeBoth = await apiToken(alice.access_token, {
      tenant_id: tenantId,
      permissions: ['secrets:write', 'secrets:read@staging', 'secrets:read@development'],
    });
    expect(
      (await api.put(`/api/v1/tenant-secrets/${id}`, { environment: 'development' }, { token: writeBoth })).status,
    ).toBe(403);
    // Read and write in both environments: the move happens and the value comes back.
    const both = await apiToken(alice.access_token, {
      tenant_id: tenantId,
      permissions: [
        'secrets:read@production',
        'secrets:write@production',
        'secrets:read@staging',
        'secrets:write@staging',
      ],
    });
    const moved = await api.put(`/api/v1/tenant-secrets/${id}`, { environment: 'staging' }, { token: both });
    expect([moved.status, moved.body.environment, moved.body.secret_value]).toEqual([200, 'staging', 'PROD-V2']);
    // Write without read in the secret's environment: the metadata changes, the value stays out of the answer.
    const writeOnly = await apiToken(alice.access_token, {
      tenant_id: tenantId,
      permissions: ['secrets:write@staging'],
    });
    const described = await api.put(
      `/api/v1/tenant-secrets/${id}`,
      { description: 'rotated quarterly' },
      { token: writeOnly },
    );
    expect([described.status, described.body.secret_value, described.text.includes('PROD-V')]).toEqual([
      200,
      undefined,
      false,
    ]);
  });
});
