import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { eventually } from '@lockwell/testing';
import { startSystem, type TestSystem } from './support/system.js';
import { clientFor } from './support/http.js';
import { adminToken, createUser } from './support/auth.js';

// Users, roles, profile and API tokens, plus the audit records identity emits for them.
describe('identity: users, roles, profile, API tokens', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let admin: string;
  let nc: NatsConnection;
  const audits: { subject: string; data: Record<string, any> }[] = [];

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
    nc = await sys.connectAs('observer');
    nc.subscribe('audit.identity.>', {
      callback: (_e, m) => {
        audits.push({ subject: m.subject, data: (m.json() as { data: Record<string, any> }).data });
      },
    });
    admin = await adminToken(sys);
  });
  afterAll(async () => {
    await nc?.close();
    await sys?.stop();
  });

  const audited = (action: string, match: (d: Record<string, any>) => boolean = () => true) =>
    eventually(async () => audits.find((a) => a.subject === `audit.identity.${action}` && match(a.data)), 3000);

  describe('users', () => {
    it('creates a user (201, no hash) and audits it; duplicates are 409, weak passwords and unknown fields 400', async () => {
      const email = `new-${randomUUID()}@lockwell.test`;
      const res = await api.post(
        '/api/v1/users',
        { email: email.toUpperCase(), password: 'a-long-enough-passphrase', full_name: 'New Person' },
        { token: admin },
      );
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual([
        'created_at',
        'email',
        'full_name',
        'id',
        'last_login_at',
        'roles',
        'status',
        'updated_at',
      ]);
      expect(res.body.email).toBe(email);
      expect(res.body.roles.map((r: { name: string }) => r.name)).toEqual(['member']);
      await audited('user.create', (d) => d.resource_id === res.body.id);
      const again = await api.post(
        '/api/v1/users',
        { email, password: 'a-long-enough-passphrase', full_name: 'Dup' },
        { token: admin },
      );
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('EMAIL_TAKEN');
      for (const password of ['short', 'password123', 'qwertyuiop']) {
        const weak = await api.post(
          '/api/v1/users',
          { email: `w-${randomUUID()}@lockwell.test`, password, full_name: 'W' },
          { token: admin },
        );
        expect(weak.status).toBe(400);
        expect(weak.body.error.details[0].field).toBe('password');
        expect(weak.text).not.toContain(password);
      }
      const smuggled = await api.post(
        '/api/v1/users',
        {
          email: `s-${randomUUID()}@lockwell.test`,
          password: 'a-long-enough-passphrase',
          full_name: 'S',
          status: 'active',
        },
        { token: admin },
      );
      expect(smuggled.status).toBe(400);
    });

    it('accepts long passwords without truncating them (PW-2)', async () => {
      const long = 'x'.repeat(100) + 'tail-A';
      const user = await createUser(sys, admin, { password: long });
      const truncated = await api.post('/api/v1/auth/login', {
        email: user.email,
        password: 'x'.repeat(100) + 'tail-B',
      });
      expect(truncated.status).toBe(401);
    });

    it('keeps user administration to admins; others get 403, and see only themselves by id', async () => {
      const alice = await createUser(sys, admin);
      const bob = await createUser(sys, admin);
      expect(
        (
          await api.post(
            '/api/v1/users',
            { email: `x-${randomUUID()}@lockwell.test`, password: 'a-long-enough-passphrase', full_name: 'X' },
            { token: alice.access_token },
          )
        ).status,
      ).toBe(403);
      expect((await api.get('/api/v1/users', { token: alice.access_token })).status).toBe(403);
      expect((await api.get(`/api/v1/users/${alice.id}`, { token: alice.access_token })).status).toBe(200);
      const other = await api.get(`/api/v1/users/${bob.id}`, { token: alice.access_token });
      expect(other.status).toBe(404);
      expect(other.body.error.code).toBe('USER_NOT_FOUND');
      expect((await api.get(`/api/v1/users/${bob.id}`, { token: admin })).body.email).toBe(bob.email);
      expect((await api.get(`/api/v1/users/${randomUUID()}`, { token: admin })).status).toBe(404);
      expect((await api.get('/api/v1/users/not-a-uuid', { token: admin })).status).toBe(400);
      expect(
        (await api.put(`/api/v1/users/${bob.id}`, { status: 'disabled' }, { token: alice.access_token })).status,
      ).toBe(403);
    });

    it('lists users with an email filter and cursor pagination', async () => {
      for (let i = 0; i < 3; i++) await createUser(sys, admin);
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const page: any = await api.get(`/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        for (const u of page.body.items) seen.add(u.id);
        cursor = page.body.next_cursor;
      } while (cursor);
      const total = await api.get('/api/v1/users?limit=200', { token: admin });
      expect(seen.size).toBe(total.body.items.length);
      const one = total.body.items[1];
      const filtered = await api.get(`/api/v1/users?email=${encodeURIComponent(one.email.toUpperCase())}`, {
        token: admin,
      });
      expect(filtered.body.items.map((u: { id: string }) => u.id)).toEqual([one.id]);
      expect((await api.get('/api/v1/users?limit=201', { token: admin })).status).toBe(400);
      const bad = await api.get('/api/v1/users?cursor=garbage', { token: admin });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('INVALID_CURSOR');
    });

    it('refuses to leave the installation without an active admin', async () => {
      const me = await api.get('/api/v1/users/me', { token: admin });
      const res = await api.put(`/api/v1/users/${me.body.id}`, { roles: ['member'] }, { token: admin });
      expect(res.status).toBe(409);
    });
  });

  describe('roles and profile', () => {
    it('lists built-in roles with permissions, creates a custom role, and grants it to a user', async () => {
      const list = await api.get('/api/v1/roles', { token: admin });
      expect(list.status).toBe(200);
      const names = list.body.items.map((r: { name: string }) => r.name);
      expect(names).toEqual(expect.arrayContaining(['admin', 'member', 'viewer']));
      expect(list.body.items.find((r: { name: string }) => r.name === 'admin').permissions).toContain('users:manage');
      const auditor = await api.post(
        '/api/v1/roles',
        { name: 'auditor', description: 'reads users', permissions: ['users:read', 'secrets:read@staging'] },
        { token: admin },
      );
      expect(auditor.status).toBe(201);
      expect(auditor.body).toMatchObject({
        name: 'auditor',
        built_in: false,
        permissions: ['secrets:read@staging', 'users:read'],
      });
      await audited('role.create', (d) => d.resource_id === auditor.body.id);
      expect(
        (await api.post('/api/v1/roles', { name: 'auditor', permissions: [] }, { token: admin })).body.error.code,
      ).toBe('ROLE_NAME_TAKEN');
      expect((await api.post('/api/v1/roles', { name: 'bad', permissions: ['root'] }, { token: admin })).status).toBe(
        400,
      );
      expect((await api.get(`/api/v1/roles/${auditor.body.id}`, { token: admin })).body.name).toBe('auditor');
      expect((await api.get(`/api/v1/roles/${randomUUID()}`, { token: admin })).status).toBe(404);

      const user = await createUser(sys, admin, { roles: [auditor.body.id] });
      expect(
        (await api.post('/api/v1/roles', { name: 'nope', permissions: [] }, { token: user.access_token })).status,
      ).toBe(403);
      expect((await api.get('/api/v1/users', { token: user.access_token })).status).toBe(200);
      const profile = await api.get('/api/v1/profile', { token: user.access_token });
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({
        user: { id: user.id },
        kind: 'user',
        global_roles: ['auditor'],
        global_permissions: ['users:read'],
        memberships: [],
      });

      // Taking the permission away applies to the unexpired token at once (AZ-6).
      expect(
        (await api.put(`/api/v1/roles/${auditor.body.id}`, { permissions: ['secrets:read@staging'] }, { token: admin }))
          .status,
      ).toBe(200);
      await eventually(
        async () => (await api.get('/api/v1/users', { token: user.access_token })).status === 403,
        1000,
        20,
      );
      expect(
        (await api.put('/api/v1/roles/00000000-0000-4000-8000-000000000001', { permissions: [] }, { token: admin }))
          .status,
      ).toBe(409);
      expect((await api.delete(`/api/v1/roles/${auditor.body.id}`, { token: admin })).status).toBe(204);
      expect((await api.get(`/api/v1/users/${user.id}`, { token: admin })).body.roles).toEqual([]);
    });

    it('shows tenant memberships with effective permissions in /profile', async () => {
      const user = await createUser(sys, admin);
      const tenant = await api.post(
        '/api/v1/tenants',
        { name: `Acme ${randomUUID().slice(0, 6)}` },
        { token: user.access_token },
      );
      expect(tenant.status).toBe(201);
      const profile = await eventually(async () => {
        const res = await api.get('/api/v1/profile', { token: user.access_token });
        return res.body.memberships.length ? res : null;
      }, 2000);
      expect(profile.body.memberships).toEqual([
        {
          tenant_id: tenant.body.id,
          role: 'owner',
          permissions: expect.arrayContaining(['tenant:delete', 'secrets:read']),
        },
      ]);
    });
  });

  describe('API tokens', () => {
    it('creates an lw_ token shown once, usable as a bearer, listed without its value, revocable', async () => {
      const user = await createUser(sys, admin);
      const created = await api.post(
        '/api/v1/tokens/api',
        { name: 'ci', permissions: ['users:read'] },
        { token: user.access_token },
      );
      expect(created.status).toBe(403);
      const adminTok = await api.post(
        '/api/v1/tokens/api',
        { name: 'ci', permissions: ['users:read'] },
        { token: admin },
      );
      expect(adminTok.status).toBe(201);
      expect(adminTok.body.token).toMatch(/^lw_[A-Za-z0-9_-]{43}$/);
      expect(adminTok.headers.get('cache-control')).toBe('no-store');
      const expiresIn = new Date(adminTok.body.expires_at).getTime() - Date.now();
      expect(expiresIn).toBeGreaterThan(3500_000);
      expect(expiresIn).toBeLessThanOrEqual(3600_000);
      await audited('api_token.create', (d) => d.resource_id === adminTok.body.id);

      const used = await api.get('/api/v1/users', { token: adminTok.body.token });
      expect(used.status).toBe(200);
      // users:manage was not granted to the token, even though its creator holds it.
      expect(
        (
          await api.post(
            '/api/v1/users',
            { email: `t-${randomUUID()}@lockwell.test`, password: 'a-long-enough-passphrase', full_name: 'T' },
            { token: adminTok.body.token },
          )
        ).status,
      ).toBe(403);
      const profile = await api.get('/api/v1/profile', { token: adminTok.body.token });
      expect(profile.body).toMatchObject({ kind: 'api_token', global_permissions: ['users:read'] });
      expect(
        (
          await api.post(
            '/api/v1/tokens/api',
            { name: 'x', permissions: ['users:read'] },
            { token: adminTok.body.token },
          )
        ).status,
      ).toBe(403);

      const list = await api.get('/api/v1/tokens/api', { token: admin });
      const listed = list.body.items.find((t: { id: string }) => t.id === adminTok.body.id);
      expect(listed.token).toBeUndefined();
      expect(list.text).not.toContain(adminTok.body.token);
      expect(listed.last_used_at).not.toBeNull();
      const one = await api.get(`/api/v1/tokens/api/${adminTok.body.id}`, { token: admin });
      expect(one.body.token).toBeUndefined();
      expect((await api.get(`/api/v1/tokens/api/${adminTok.body.id}`, { token: user.access_token })).status).toBe(404);
      expect((await api.delete(`/api/v1/tokens/api/${adminTok.body.id}`, { token: user.access_token })).status).toBe(
        404,
      );

      expect((await api.delete(`/api/v1/tokens/api/${adminTok.body.id}`, { token: admin })).status).toBe(204);
      await eventually(
        async () => (await api.get('/api/v1/users', { token: adminTok.body.token })).status === 401,
        1000,
        20,
      );
      expect((await api.get('/api/v1/users', { token: 'lw_' + 'A'.repeat(43) })).status).toBe(401);
    });

    it('binds a token to a tenant and never exceeds the creator, now or later', async () => {
      const owner = await createUser(sys, admin);
      const tenant = await api.post(
        '/api/v1/tenants',
        { name: `Bound ${randomUUID().slice(0, 6)}` },
        { token: owner.access_token },
      );
      expect(tenant.status).toBe(201);
      const fresh = (await api.post('/api/v1/auth/login', { email: owner.email, password: owner.password })).body
        .access_token;
      const tooMuch = await api.post(
        '/api/v1/tokens/api',
        { name: 'x', tenant_id: tenant.body.id, permissions: ['users:manage'] },
        { token: fresh },
      );
      expect(tooMuch.status).toBe(403);
      const foreign = await api.post(
        '/api/v1/tokens/api',
        { name: 'x', tenant_id: randomUUID(), permissions: ['secrets:read'] },
        { token: fresh },
      );
      expect(foreign.status).toBe(404);
      const tooLong = await api.post(
        '/api/v1/tokens/api',
        { name: 'x', permissions: ['secrets:read'], expires_at: new Date(Date.now() + 400 * 86400_000).toISOString() },
        { token: fresh },
      );
      expect(tooLong.status).toBe(400);
      const tok = await api.post(
        '/api/v1/tokens/api',
        { name: 'reader', tenant_id: tenant.body.id, permissions: ['tenant:read', 'secrets:read@staging'] },
        { token: fresh },
      );
      expect(tok.status).toBe(201);
      const profile = await api.get('/api/v1/profile', { token: tok.body.token });
      expect(profile.body.memberships).toEqual([
        { tenant_id: tenant.body.id, role: 'owner', permissions: ['secrets:read@staging', 'tenant:read'] },
      ]);
      expect(profile.body.global_permissions).toEqual([]);
    });
  });

  it('audits logins, failed logins and logouts without secrets', async () => {
    const user = await createUser(sys, admin);
    await api.post('/api/v1/auth/login', { email: user.email, password: 'wrong-password-here' });
    await api.post('/api/v1/auth/logout', {}, { token: user.access_token });
    const ok = await audited('auth.login', (d) => d.outcome === 'success' && d.actor.id === user.id);
    expect(ok.data.ip).toBeTruthy();
    await audited(
      'auth.login',
      (d) => d.outcome === 'failed' && d.resource_id === user.id && d.detail.reason === 'wrong_password',
    );
    await audited('auth.logout', (d) => d.actor.id === user.id);
    const all = JSON.stringify(audits);
    expect(all).not.toContain(user.password);
    expect(all).not.toContain('wrong-password-here');
    expect(all).not.toContain(user.refresh_token);
    expect(all).not.toContain(user.access_token);
  });
});
