// The API the web console relies on, over plain HTTP: the cookie session routes and their CSRF defence
// (SES-10, SES-11), the console's files and Content-Security-Policy (API-4), and the extensions it added:
// members by email, secret metadata without a read, master-key status.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminToken, createUser, type CreatedUser } from './support/auth.js';
import { clientFor, http } from './support/http.js';
import { ADMIN, startSystem, type TestSystem } from './support/system.js';

let sys: TestSystem;
let api: ReturnType<typeof clientFor>;
let origin: string;

beforeAll(async () => {
  sys = await startSystem();
  api = clientFor(sys.url);
  origin = sys.url;
}, 120_000);
afterAll(() => sys?.stop());

/** What the console's fetch sends: the custom header and its own Origin. */
const consoleHeaders = (extra: Record<string, string> = {}) => ({ 'x-lockwell-console': '1', origin, ...extra });
const cookieOf = (res: { headers: Headers }) => res.headers.get('set-cookie') ?? '';
const cookieValue = (setCookie: string) => /^__Secure-lockwell-console=([^;]*)/.exec(setCookie)?.[1] ?? '';

describe('console session routes', () => {
  it('sets the refresh token only as an HttpOnly, Secure, SameSite=Strict cookie scoped to the session routes', async () => {
    const res = await api.post(
      '/api/v1/auth/console/login',
      { email: ADMIN.email, password: ADMIN.password },
      { headers: consoleHeaders() },
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const cookie = cookieOf(res);
    expect(cookie).toMatch(
      /^__Secure-lockwell-console=lwrt_[A-Za-z0-9_-]+; Path=\/api\/v1\/auth\/console; HttpOnly; Secure; SameSite=Strict$/,
    );
    expect(res.text).not.toContain(cookieValue(cookie));
    expect((await api.get('/api/v1/users/me', { token: res.body.access_token })).status).toBe(200);
  });

  it('refuses every session route without the console header, with a foreign or missing Origin, or cross-site', async () => {
    const login = await api.post(
      '/api/v1/auth/console/login',
      { email: ADMIN.email, password: ADMIN.password },
      { headers: consoleHeaders() },
    );
    const cookie = `__Secure-lockwell-console=${cookieValue(cookieOf(login))}`;
    const attempts: Record<string, string>[] = [
      { origin },
      { 'x-lockwell-console': '1' },
      consoleHeaders({ origin: 'https://evil.example' }),
      consoleHeaders({ origin: 'null' }),
      consoleHeaders({ 'sec-fetch-site': 'cross-site' }),
      consoleHeaders({ 'sec-fetch-site': 'same-site' }),
    ];
    for (const headers of attempts) {
      for (const route of ['login', 'refresh', 'logout']) {
        const res = await http(sys.url, 'POST', `/api/v1/auth/console/${route}`, {
          headers: { ...headers, cookie, authorization: `Bearer ${login.body.access_token}` },
          ...(route === 'login' ? { body: { email: ADMIN.email, password: ADMIN.password } } : {}),
        });
        expect({ route, headers, status: res.status, code: res.body?.error?.code }).toEqual({
          route,
          headers,
          status: 403,
          code: 'FORBIDDEN',
        });
        expect(cookieOf(res)).toBe('');
      }
    }
    // None of them touched the session: the cookie still refreshes once.
    expect(
      (await http(sys.url, 'POST', '/api/v1/auth/console/refresh', { headers: { ...consoleHeaders(), cookie } }))
        .status,
    ).toBe(200);
  });

  it('rotates the cookie on refresh; a spent cookie ends the session and is cleared', async () => {
    const login = await api.post(
      '/api/v1/auth/console/login',
      { email: ADMIN.email, password: ADMIN.password },
      { headers: consoleHeaders() },
    );
    const first = `__Secure-lockwell-console=${cookieValue(cookieOf(login))}`;
    const refreshed = await http(sys.url, 'POST', '/api/v1/auth/console/refresh', {
      headers: { ...consoleHeaders(), cookie: first },
    });
    expect(refreshed.status).toBe(200);
    const second = `__Secure-lockwell-console=${cookieValue(cookieOf(refreshed))}`;
    expect(second).not.toBe(first);
    const reused = await http(sys.url, 'POST', '/api/v1/auth/console/refresh', {
      headers: { ...consoleHeaders(), cookie: first },
    });
    expect([reused.status, reused.body.error.code]).toEqual([401, 'INVALID_REFRESH_TOKEN']);
    expect(cookieOf(reused)).toMatch(/^__Secure-lockwell-console=; Max-Age=0; Path=\/api\/v1\/auth\/console/);
    // Reuse revoked the whole family: the rotated cookie is dead too.
    expect(
      (
        await http(sys.url, 'POST', '/api/v1/auth/console/refresh', {
          headers: { ...consoleHeaders(), cookie: second },
        })
      ).status,
    ).toBe(401);
    const none = await http(sys.url, 'POST', '/api/v1/auth/console/refresh', { headers: consoleHeaders() });
    expect([none.status, none.body.error.code]).toEqual([401, 'INVALID_REFRESH_TOKEN']);
  });

  it('logs out: the access token and the cookie stop working, and the cookie is cleared', async () => {
    const login = await api.post(
      '/api/v1/auth/console/login',
      { email: ADMIN.email, password: ADMIN.password },
      { headers: consoleHeaders() },
    );
    const cookie = `__Secure-lockwell-console=${cookieValue(cookieOf(login))}`;
    expect(
      (await http(sys.url, 'POST', '/api/v1/auth/console/logout', { headers: consoleHeaders({ cookie }) })).status,
    ).toBe(401);
    const out = await http(sys.url, 'POST', '/api/v1/auth/console/logout', {
      headers: consoleHeaders({ cookie, authorization: `Bearer ${login.body.access_token}` }),
    });
    expect(out.status).toBe(204);
    expect(cookieOf(out)).toContain('Max-Age=0');
    expect((await api.get('/api/v1/users/me', { token: login.body.access_token })).status).toBe(401);
    expect(
      (await http(sys.url, 'POST', '/api/v1/auth/console/refresh', { headers: consoleHeaders({ cookie }) })).status,
    ).toBe(401);
  });

  it('answers a wrong password exactly like /auth/login does, without a cookie', async () => {
    const res = await api.post(
      '/api/v1/auth/console/login',
      { email: ADMIN.email, password: 'not the password' },
      { headers: consoleHeaders() },
    );
    expect([res.status, res.body.error.code, cookieOf(res)]).toEqual([401, 'INVALID_CREDENTIALS', '']);
  });
});

describe('the console under /', () => {
  it('serves index.html with the strict CSP for client routes, hashed assets as immutable, and never the page for API paths', async () => {
    for (const path of ['/', '/tenants/1b4e28ba-2fa1-11d2-883f-0016d3cca427/members', '/secrets/new']) {
      const res = await fetch(sys.url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'; style-src 'self'");
      expect(res.headers.get('content-security-policy')).not.toContain('unsafe');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle=/);
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
      const js = await fetch(sys.url + asset);
      expect([js.status, js.headers.get('cache-control'), js.headers.get('content-type')]).toEqual([
        200,
        'public, max-age=31536000, immutable',
        'application/javascript; charset=utf-8',
      ]);
    }
    for (const path of [
      '/api/v1/nope',
      '/api/v2/tenants',
      '/.well-known/nope',
      '/docs/nope',
      '/assets/missing.js',
      '/%2e%2e/package.json',
      '/%2e%2e/%2e%2e/etc/hosts.txt',
    ]) {
      const res = await http(sys.url, 'GET', path);
      expect({ path, status: res.status, code: res.body?.error?.code }).toEqual({
        path,
        status: 404,
        code: 'ROUTE_NOT_FOUND',
      });
    }
  });
});

describe('API extensions the console uses', () => {
  let admin: string;
  let owner: CreatedUser;
  let outsider: CreatedUser;
  let tenantId: string;

  beforeAll(async () => {
    admin = await adminToken(sys);
    owner = await createUser(sys, admin);
    outsider = await createUser(sys, admin);
    tenantId = (await api.post('/api/v1/tenants', { name: 'Console extensions' }, { token: owner.access_token })).body
      .id;
  });

  it('adds a member by email; unknown emails are USER_NOT_FOUND, and only for people who may manage members', async () => {
    const friend = await createUser(sys, admin);
    const added = await api.post(
      `/api/v1/tenants/${tenantId}/members`,
      { email: friend.email.toUpperCase(), role: 'viewer' },
      { token: owner.access_token },
    );
    expect([added.status, added.body.user_id, added.body.role]).toEqual([201, friend.id, 'viewer']);
    const unknown = await api.post(
      `/api/v1/tenants/${tenantId}/members`,
      { email: 'nobody@lockwell.test', role: 'viewer' },
      { token: owner.access_token },
    );
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'USER_NOT_FOUND']);
    // A viewer cannot use the form to learn which emails have accounts; an outsider does not see the tenant.
    const probe = await api.post(
      `/api/v1/tenants/${tenantId}/members`,
      { email: outsider.email, role: 'viewer' },
      { token: friend.access_token },
    );
    expect([probe.status, probe.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const foreign = await api.post(
      `/api/v1/tenants/${tenantId}/members`,
      { email: owner.email, role: 'viewer' },
      { token: outsider.access_token },
    );
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'TENANT_NOT_FOUND']);
    for (const body of [
      { role: 'viewer' },
      { email: outsider.email, user_id: outsider.id, role: 'viewer' },
      { email: 'not-an-email', role: 'viewer' },
    ]) {
      const bad = await api.post(`/api/v1/tenants/${tenantId}/members`, body, { token: owner.access_token });
      expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('shows a secret’s metadata without reading it: no value, no access record; others get 404', async () => {
    const created = await api.post(
      '/api/v1/tenant-secrets',
      { tenant_id: tenantId, service_name: 'db', secret_key_name: 'password', secret_value: 'metadata-only-canary' },
      { token: owner.access_token },
    );
    const id = created.body.id;
    const meta = await api.get(`/api/v1/tenant-secrets/${id}/metadata`, { token: owner.access_token });
    expect(meta.status).toBe(200);
    expect(meta.text).not.toContain('metadata-only-canary');
    expect(meta.body).toMatchObject({ id, service_name: 'db', version: 1, last_accessed_at: null });
    expect('secret_value' in meta.body).toBe(false);
    expect((await api.get(`/api/v1/tenant-secrets/${id}/usage`, { token: owner.access_token })).body.items).toEqual([]);
    expect((await api.get(`/api/v1/tenant-secrets/${id}/metadata`, { token: outsider.access_token })).status).toBe(404);
    expect((await api.get(`/api/v1/user-secrets/${id}/metadata`, { token: owner.access_token })).status).toBe(404);
  });

  it('reports the master-key rotation status to key administrators only', async () => {
    const status = await api.get('/api/v1/admin/master-key', { token: admin });
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      active_master_key_id: 1,
      key_ids: [1],
      data_keys: expect.any(Array),
      signing_keys: [{ master_key_id: 1, count: 1 }],
      remaining: 0,
    });
    expect(status.body.data_keys.reduce((n: number, d: { count: number }) => n + d.count, 0)).toBeGreaterThan(0);
    const denied = await api.get('/api/v1/admin/master-key', { token: owner.access_token });
    expect([denied.status, denied.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});
