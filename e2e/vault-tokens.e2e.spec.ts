import { decodeJwt } from 'jose';
import { randomUUID } from 'node:crypto';
import { eventually } from '@lockwell/testing';
import { adminToken, createUser, login, type CreatedUser } from './support/auth.js';
import { clientFor, type HttpResult } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

// API tokens on the vault, through the gateway: a token never does more than its grant, its tenant and its
// creator's current standing allow, and no response hands out a value the token may not read.
describe('vault: API tokens never exceed their grant', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let admin: string;
  let alice: CreatedUser;
  let bob: CreatedUser;
  let tenantA: string;
  let tenantB: string;
  let secretA: string;
  let secretB: string;
  let personal: string;
  // Every stored value carries this marker; a response to a caller who may not read it must not contain it.
  const canary = `CANARY-${randomUUID()}`;
  const valueA = `${canary}-tenant-a`;

  const noValue = (res: HttpResult) => {
    expect(res.text).not.toContain(canary);
    return res;
  };

  /** Creates an API token as `userToken`; waits until the gateway sees the creator's fresh memberships. */
  async function apiToken(userToken: string, body: { tenant_id?: string; permissions: string[]; expires_at?: string }) {
    const res = await eventually(async () => {
      const r = await api.post(
        '/api/v1/tokens/api',
        { name: `t-${randomUUID().slice(0, 6)}`, ...body },
        { token: userToken },
      );
      return r.status === 201 ? r : null;
    }, 10_000);
    return { id: res.body.id as string, token: res.body.token as string };
  }

  async function tenantOf(owner: CreatedUser, name: string) {
    const res = await api.post(
      '/api/v1/tenants',
      { name: `${name} ${randomUUID().slice(0, 8)}` },
      { token: owner.access_token },
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
    admin = await adminToken(sys);
    alice = await createUser(sys, admin);
    bob = await createUser(sys, admin);
    tenantA = await tenantOf(alice, 'A');
    tenantB = await tenantOf(alice, 'B');
    const token = alice.access_token;
    const a = await eventually(async () => {
      const r = await api.post(
        '/api/v1/tenant-secrets',
        { tenant_id: tenantA, service_name: 'db', secret_key_name: 'password', secret_value: valueA },
        { token },
      );
      return r.status === 201 ? r : null;
    }, 10_000);
    secretA = a.body.id;
    const b = await eventually(async () => {
      const r = await api.post(
        '/api/v1/tenant-secrets',
        { tenant_id: tenantB, service_name: 'db', secret_key_name: 'password', secret_value: `${canary}-tenant-b` },
        { token },
      );
      return r.status === 201 ? r : null;
    }, 10_000);
    secretB = b.body.id;
    const p = await api.post(
      '/api/v1/user-secrets',
      { service_name: 'mine', secret_key_name: 'k', secret_value: `${canary}-personal` },
      { token },
    );
    expect(p.status).toBe(201);
    personal = p.body.id;
  });
  afterAll(() => sys?.stop());

  it('a secrets:list token lists metadata but may not read a value nor write (403)', async () => {
    const { token } = await apiToken(alice.access_token, { tenant_id: tenantA, permissions: ['secrets:list'] });
    const list = noValue(await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantA}`, { token }));
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([secretA]);
    expect(noValue(await api.get(`/api/v1/tenant-secrets/${secretA}/versions`, { token })).status).toBe(200);

    const read = noValue(await api.get(`/api/v1/tenant-secrets/${secretA}`, { token }));
    expect(read.status).toBe(403);
    expect(read.body.error.code).toBe('FORBIDDEN');
    expect(noValue(await api.get(`/api/v1/tenant-secrets/${secretA}?version=1`, { token })).status).toBe(403);
    const writes = [
      await api.post(
        '/api/v1/tenant-secrets',
        { tenant_id: tenantA, service_name: 'x', secret_key_name: 'y', secret_value: 'z' },
        { token },
      ),
      await api.put(`/api/v1/tenant-secrets/${secretA}`, { secret_value: 'overwritten' }, { token }),
      await api.put(`/api/v1/tenant-secrets/${secretA}`, { description: 'metadata only' }, { token }),
      await api.post(`/api/v1/tenant-secrets/${secretA}/rollback`, { version: 1 }, { token }),
      await api.delete(`/api/v1/tenant-secrets/${secretA}?mode=schedule`, { token }),
      await api.delete(`/api/v1/tenant-secrets/${secretA}`, { token }),
    ];
    for (const res of writes) expect([res.status, noValue(res).body.error?.code]).toEqual([403, 'FORBIDDEN']);
    // Nothing changed: still version 1 with the original value, still active.
    const owner = await api.get(`/api/v1/tenant-secrets/${secretA}`, { token: alice.access_token });
    expect(owner.body).toMatchObject({ version: 1, secret_value: valueA, status: 'active', description: null });
  });

  it('a write-only token may change a value but is never shown one it could not read', async () => {
    const { token } = await apiToken(alice.access_token, { tenant_id: tenantA, permissions: ['secrets:write'] });
    const created = await api.post(
      '/api/v1/tenant-secrets',
      { tenant_id: tenantA, service_name: 'w', secret_key_name: 'only', secret_value: `${canary}-w1` },
      { token: alice.access_token },
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    const put = await api.put(`/api/v1/tenant-secrets/${id}`, { secret_value: 'new-by-token' }, { token });
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(2);
    const meta = noValue(await api.put(`/api/v1/tenant-secrets/${id}`, { description: 'renamed by token' }, { token }));
    expect(meta.status).toBe(200);
    expect(meta.body.secret_value).toBeUndefined();
    // Rolling back to version 1 re-seals a value the token never wrote and may not read.
    const rollback = noValue(await api.post(`/api/v1/tenant-secrets/${id}/rollback`, { version: 1 }, { token }));
    expect(rollback.status).toBe(200);
    expect(rollback.body).toMatchObject({ version: 3 });
    expect(rollback.body.secret_value).toBeUndefined();
    expect(noValue(await api.get(`/api/v1/tenant-secrets/${id}`, { token })).status).toBe(403);
    expect((await api.get(`/api/v1/tenant-secrets/${id}`, { token: alice.access_token })).body.secret_value).toBe(
      `${canary}-w1`,
    );
  });

  it('a token bound to tenant A gets 404 on tenant B even though its creator is a member of B', async () => {
    const { token } = await apiToken(alice.access_token, {
      tenant_id: tenantA,
      permissions: ['secrets:list', 'secrets:read', 'secrets:write', 'secrets:delete'],
    });
    expect((await api.get(`/api/v1/tenant-secrets/${secretA}`, { token })).body.secret_value).toBe(valueA);
    for (const res of [
      await api.get(`/api/v1/tenant-secrets/${secretB}`, { token }),
      await api.get(`/api/v1/tenant-secrets/${secretB}/versions`, { token }),
      await api.get(`/api/v1/tenant-secrets/${secretB}/usage`, { token }),
      await api.put(`/api/v1/tenant-secrets/${secretB}`, { secret_value: 'x' }, { token }),
      await api.post(`/api/v1/tenant-secrets/${secretB}/rollback`, { version: 1 }, { token }),
      await api.delete(`/api/v1/tenant-secrets/${secretB}?mode=schedule`, { token }),
      await api.delete(`/api/v1/tenant-secrets/${secretB}`, { token }),
    ]) {
      expect([res.status, noValue(res).body.error.code]).toEqual([404, 'SECRET_NOT_FOUND']);
    }
    for (const res of [
      await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantB}`, { token }),
      await api.post(
        '/api/v1/tenant-secrets',
        { tenant_id: tenantB, service_name: 'x', secret_key_name: 'y', secret_value: 'z' },
        { token },
      ),
    ]) {
      expect([res.status, noValue(res).body.error.code]).toEqual([404, 'TENANT_NOT_FOUND']);
    }
    // The secret in B is untouched.
    expect((await api.get(`/api/v1/tenant-secrets/${secretB}`, { token: alice.access_token })).body).toMatchObject({
      version: 1,
      status: 'active',
    });
  });

  it('is refused on /user-secrets (403), bound or not, as docs/vault.md says', async () => {
    const bound = await apiToken(alice.access_token, {
      tenant_id: tenantA,
      permissions: ['secrets:read', 'secrets:write'],
    });
    const unbound = await apiToken(alice.access_token, {
      permissions: ['secrets:list', 'secrets:read', 'secrets:write', 'secrets:delete'],
    });
    for (const token of [bound.token, unbound.token]) {
      for (const res of [
        await api.get('/api/v1/user-secrets', { token }),
        await api.get(`/api/v1/user-secrets/${personal}`, { token }),
        await api.get(`/api/v1/user-secrets/${personal}/versions`, { token }),
        await api.get(`/api/v1/user-secrets/${personal}/usage`, { token }),
        await api.post(
          '/api/v1/user-secrets',
          { service_name: 'tok', secret_key_name: 'k', secret_value: 'v' },
          { token },
        ),
        await api.put(`/api/v1/user-secrets/${personal}`, { secret_value: 'x' }, { token }),
        await api.post(`/api/v1/user-secrets/${personal}/rollback`, { version: 1 }, { token }),
        await api.delete(`/api/v1/user-secrets/${personal}`, { token }),
      ]) {
        expect([res.status, noValue(res).body.error.code]).toEqual([403, 'FORBIDDEN']);
      }
    }
    const mine = await api.get(`/api/v1/user-secrets/${personal}`, { token: alice.access_token });
    expect(mine.body).toMatchObject({ version: 1, secret_value: `${canary}-personal` });
    const list = await api.get('/api/v1/user-secrets', { token: alice.access_token });
    expect(list.body.items.map((i: { service_name: string }) => i.service_name)).toEqual(['mine']);
  });

  it("sees and revokes only itself, never its owner's other tokens or sign-in sessions", async () => {
    const leaked = await apiToken(alice.access_token, { tenant_id: tenantA, permissions: ['tenant:read'] });
    const other = await apiToken(alice.access_token, { tenant_id: tenantA, permissions: ['secrets:read'] });
    const token = leaked.token;
    const listed = await api.get('/api/v1/tokens/api', { token });
    expect([listed.status, listed.body.items.map((t: { id: string }) => t.id)]).toEqual([200, [leaked.id]]);
    expect((await api.get(`/api/v1/tokens/api/${leaked.id}`, { token })).status).toBe(200);
    for (const res of [
      await api.get(`/api/v1/tokens/api/${other.id}`, { token }),
      await api.delete(`/api/v1/tokens/api/${other.id}`, { token }),
      await api.get('/api/v1/tokens/sessions', { token }),
      await api.delete(`/api/v1/tokens/sessions/${decodeJwt(alice.access_token).sid}`, { token }),
    ])
      expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
    // Nothing was ended: the other token and the owner's session still work; the leaked token can end itself.
    expect((await api.get(`/api/v1/tenants/${tenantA}`, { token: other.token })).status).not.toBe(401);
    expect((await api.get('/api/v1/tokens/sessions', { token: alice.access_token })).status).toBe(200);
    expect((await api.delete(`/api/v1/tokens/api/${leaked.id}`, { token })).status).toBe(204);
    expect((await api.get('/api/v1/tokens/api', { token })).status).toBe(401);
  });

  it('records the API token as the consumer in where-used (/usage)', async () => {
    const created = await api.post(
      '/api/v1/tenant-secrets',
      { tenant_id: tenantA, service_name: 'usage', secret_key_name: 'k', secret_value: `${canary}-usage` },
      { token: alice.access_token },
    );
    const id = created.body.id;
    const reader = await apiToken(alice.access_token, { tenant_id: tenantA, permissions: ['secrets:read'] });
    for (let i = 0; i < 3; i++)
      expect((await api.get(`/api/v1/tenant-secrets/${id}`, { token: reader.token })).status).toBe(200);
    expect((await api.get(`/api/v1/tenant-secrets/${id}`, { token: alice.access_token })).status).toBe(200);
    const usage = noValue(await api.get(`/api/v1/tenant-secrets/${id}/usage`, { token: alice.access_token }));
    expect(usage.status).toBe(200);
    const byConsumer = Object.fromEntries(
      usage.body.items.map((u: { consumer_type: string; consumer_id: string; access_count: number }) => [
        `${u.consumer_type}:${u.consumer_id}`,
        u.access_count,
      ]),
    );
    expect(byConsumer).toEqual({ [`api_token:${reader.id}`]: 3, [`user:${alice.id}`]: 1 });
    expect(usage.text).not.toContain(reader.token);
    const secret = await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantA}&service_name=usage`, {
      token: alice.access_token,
    });
    expect(secret.body.items[0].last_accessed_at).not.toBeNull();
  });

  it("loses the creator's rights as soon as the creator is demoted, then removed (AZ-6)", async () => {
    expect(
      (
        await api.post(
          `/api/v1/tenants/${tenantA}/members`,
          { user_id: bob.id, role: 'member' },
          { token: alice.access_token },
        )
      ).status,
    ).toBe(201);
    const bobToken = (await login(sys, bob.email, bob.password)).access_token;
    const { token } = await apiToken(bobToken, {
      tenant_id: tenantA,
      permissions: ['secrets:list', 'secrets:read', 'secrets:write'],
    });
    expect((await api.get(`/api/v1/tenant-secrets/${secretA}`, { token })).body.secret_value).toBe(valueA);
    expect((await api.put(`/api/v1/tenant-secrets/${secretA}`, { tags: ['by-bob-token'] }, { token })).status).toBe(
      200,
    );

    // Demoted to viewer: the token keeps reading but can no longer write.
    expect(
      (await api.put(`/api/v1/tenants/${tenantA}/members/${bob.id}`, { role: 'viewer' }, { token: alice.access_token }))
        .status,
    ).toBe(200);
    // The gateway drops the creator's cached standing on the MembershipChanged event (milliseconds).
    await eventually(
      async () =>
        (await api.put(`/api/v1/tenant-secrets/${secretA}`, { tags: ['after-demotion'] }, { token })).status === 403,
      2000,
      10,
    );
    expect((await api.get(`/api/v1/tenant-secrets/${secretA}`, { token })).body.secret_value).toBe(valueA);
    expect((await api.get(`/api/v1/tenant-secrets/${secretA}`, { token: alice.access_token })).body.tags).toEqual([
      'by-bob-token',
    ]);

    // Removed: the tenant is not theirs any more, so neither the secret nor the tenant exists for the token.
    expect(
      (await api.delete(`/api/v1/tenants/${tenantA}/members/${bob.id}`, { token: alice.access_token })).status,
    ).toBe(204);
    await eventually(
      async () => (await api.get(`/api/v1/tenant-secrets/${secretA}`, { token })).status === 404,
      2000,
      10,
    );
    expect(noValue(await api.get(`/api/v1/tenant-secrets/${secretA}`, { token })).body.error.code).toBe(
      'SECRET_NOT_FOUND',
    );
    const list = noValue(await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantA}`, { token }));
    expect([list.status, list.body.error.code]).toEqual([404, 'TENANT_NOT_FOUND']);
  });

  it('an expired token and a revoked token get 401 and nothing else', async () => {
    const expiresAt = new Date(Date.now() + 4000);
    const expiring = await apiToken(alice.access_token, {
      tenant_id: tenantA,
      permissions: ['secrets:read'],
      expires_at: expiresAt.toISOString(),
    });
    const revoked = await apiToken(alice.access_token, { tenant_id: tenantA, permissions: ['secrets:read'] });
    expect((await api.get(`/api/v1/tenant-secrets/${secretA}`, { token: expiring.token })).status).toBe(200);
    expect((await api.get(`/api/v1/tenant-secrets/${secretA}`, { token: revoked.token })).status).toBe(200);

    expect((await api.delete(`/api/v1/tokens/api/${revoked.id}`, { token: alice.access_token })).status).toBe(204);
    await eventually(
      async () => (await api.get(`/api/v1/tenant-secrets/${secretA}`, { token: revoked.token })).status === 401,
      2000,
      10,
    );
    // The grant is cached in the gateway, but its expiry is checked on every request.
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt.getTime() - Date.now() + 100)));
    for (const token of [expiring.token, revoked.token]) {
      for (const res of [
        await api.get(`/api/v1/tenant-secrets/${secretA}`, { token }),
        await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantA}`, { token }),
        await api.put(`/api/v1/tenant-secrets/${secretA}`, { secret_value: 'x' }, { token }),
      ]) {
        expect([res.status, noValue(res).body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
      }
    }
  });
});
