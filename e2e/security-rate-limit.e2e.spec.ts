// API-2 through the gateway, on a system of its own with small budgets: per user, per client address, and the
// per-tenant secret quota. Each limit answers 429 (or 409 for the quota) with the error envelope.
import { randomUUID } from 'node:crypto';
import { eventually } from '@lockwell/testing';
import { adminToken, createUser, type CreatedUser } from './support/auth.js';
import { clientFor, type HttpResult } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

const PER_IDENTITY = 15;
const PER_IP = 80;
const SECRETS_PER_TENANT = 3;

describe('rate limits and quotas (API-2)', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let alice: CreatedUser;
  let bob: CreatedUser;

  const expectLimited = (res: HttpResult, code = 'RATE_LIMITED') => {
    expect(res.status).toBe(code === 'RATE_LIMITED' ? 429 : 409);
    expect(res.body.error).toMatchObject({ code, message: expect.any(String), request_id: expect.any(String) });
    if (code === 'RATE_LIMITED') expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  };

  beforeAll(async () => {
    sys = await startSystem({
      env: {
        LOCKWELL_RATE_LIMIT_PER_IDENTITY: String(PER_IDENTITY),
        LOCKWELL_RATE_LIMIT_PER_IP: String(PER_IP),
        LOCKWELL_RATE_LIMIT_WINDOW_SECONDS: '600',
        LOCKWELL_MAX_SECRETS_PER_TENANT: String(SECRETS_PER_TENANT),
      },
    });
    api = clientFor(sys.url);
    const admin = await adminToken(sys);
    [alice, bob] = await Promise.all([createUser(sys, admin), createUser(sys, admin)]);
  });
  afterAll(() => sys?.stop());

  it('caps a tenant at LOCKWELL_MAX_SECRETS_PER_TENANT secrets, also for concurrent creates (409 QUOTA_EXCEEDED)', async () => {
    const tenant = await api.post(
      '/api/v1/tenants',
      { name: `Q ${randomUUID().slice(0, 8)}` },
      { token: bob.access_token },
    );
    expect(tenant.status).toBe(201);
    await eventually(
      async () =>
        (await api.get(`/api/v1/tenant-secrets?tenant_id=${tenant.body.id}`, { token: bob.access_token })).status ===
        200,
    );
    const creates = await Promise.all(
      Array.from({ length: SECRETS_PER_TENANT + 2 }, (_, i) =>
        api.post(
          '/api/v1/tenant-secrets',
          { tenant_id: tenant.body.id, service_name: 'q', secret_key_name: `k${i}`, secret_value: 'v' },
          { token: bob.access_token },
        ),
      ),
    );
    expect(creates.filter((r) => r.status === 201)).toHaveLength(SECRETS_PER_TENANT);
    const refused = creates.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(2);
    for (const r of refused) expectLimited(r, 'QUOTA_EXCEEDED');
  });

  it('gives each user a budget of requests: the next one is 429 with Retry-After, and other users are not affected', async () => {
    const statuses: number[] = [];
    let limited: HttpResult | undefined;
    for (let i = 0; i < PER_IDENTITY + 1 && !limited; i++) {
      const res = await api.get('/api/v1/users/me', { token: alice.access_token });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    // createUser's login was public (not on the user budget): exactly PER_IDENTITY requests passed.
    expect(statuses.filter((s) => s === 200)).toHaveLength(PER_IDENTITY);
    expectLimited(limited!);
    expect((await api.get('/api/v1/users/me', { token: bob.access_token })).status).toBe(200);
  });

  it('gives each client address a budget on every route, public ones included; X-Forwarded-For from an untrusted peer does not reset it', async () => {
    let limited: HttpResult | undefined;
    for (let i = 0; i < PER_IP + 1 && !limited; i++) {
      const res = await api.get('/healthz', { headers: { 'x-forwarded-for': `203.0.113.${i % 250}` } });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expectLimited(limited!);
    expect(limited!.headers.get('x-request-id')).toBe(limited!.body.error.request_id);
    expectLimited(await api.post('/api/v1/auth/login', { email: alice.email, password: alice.password }));
    expectLimited(await api.get('/api/v1/no-such-route'));
  });
});
