// @lockwell/sdk against a real system (services + gateway on PostgreSQL and NATS): what an application relies
// on — reading secrets by name, env maps, sessions that refresh without tripping reuse detection, typed errors,
// Retry-After, and a cache that rides out a gateway outage but never hides a revocation.
import { randomUUID } from 'node:crypto';
import {
  EnvNameCollisionError,
  LockwellApiError,
  LockwellClient,
  LockwellNetworkError,
  loginWithPassword,
  type SessionTokens,
} from '@lockwell/sdk';
import { eventually } from '@lockwell/testing';
import { startTestOidcProvider } from '@lockwell/testing/oidc';
import { callbackUrl, CLIENT, connect, registerService } from './support/connectors.js';
import { adminToken, createUser, type CreatedUser } from './support/auth.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

describe('sdk against a real system', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let alice: CreatedUser;
  let tenantId: string;
  let tenantSlug: string;
  const canary = `CANARY-${randomUUID()}`;

  async function putSecret(body: Record<string, unknown>) {
    const res = await eventually(async () => {
      const r = await api.post(
        '/api/v1/tenant-secrets',
        { tenant_id: tenantId, ...body },
        { token: alice.access_token },
      );
      return r.status === 201 ? r : null;
    }, 10_000);
    return res.body.id as string;
  }

  async function apiToken(permissions: string[]) {
    const res = await eventually(async () => {
      const r = await api.post(
        '/api/v1/tokens/api',
        { name: `sdk-${randomUUID().slice(0, 6)}`, tenant_id: tenantId, permissions },
        { token: alice.access_token },
      );
      return r.status === 201 ? r : null;
    }, 10_000);
    return { id: res.body.id as string, token: res.body.token as string };
  }

  beforeAll(async () => {
    sys = await startSystem({ env: { LOCKWELL_LOGIN_MAX_FAILURES_PER_ACCOUNT: '2' } });
    api = clientFor(sys.url);
    alice = await createUser(sys, await adminToken(sys));
    const tenant = await api.post(
      '/api/v1/tenants',
      { name: `SDK ${randomUUID().slice(0, 8)}` },
      { token: alice.access_token },
    );
    tenantId = tenant.body.id;
    tenantSlug = tenant.body.slug;
    await putSecret({
      service_name: 'db',
      secret_key_name: 'password',
      environment: 'production',
      secret_value: `${canary}-db`,
    });
    await putSecret({
      service_name: 'openai',
      secret_key_name: 'api-key',
      environment: 'production',
      secret_value: `${canary}-openai`,
    });
    await putSecret({
      service_name: 'db',
      secret_key_name: 'password',
      environment: 'staging',
      secret_value: `${canary}-staging`,
    });
    await putSecret({
      service_name: 'app',
      secret_key_name: 'dotenv',
      environment: 'production',
      type: 'key_value',
      data: { pairs: { LOG_LEVEL: 'debug', 'feature.flag': 'on' } },
    });
  });
  afterAll(() => sys?.stop());

  it('reads a secret by name and by id with an API token, and turns an environment into variables', async () => {
    const { token } = await apiToken(['secrets:list', 'secrets:read']);
    const lw = new LockwellClient({ baseUrl: sys.url, credentials: { apiToken: token } });
    const secret = await lw.getSecret({ tenant: tenantId, environment: 'production', service: 'db', key: 'password' });
    expect(secret.secret_value).toBe(`${canary}-db`);
    expect(await lw.getSecretValue({ id: secret.id })).toBe(`${canary}-db`);
    expect(await lw.getSecretsAsEnv({ tenant: tenantId, environment: 'production' })).toEqual({
      DB_PASSWORD: `${canary}-db`,
      OPENAI_API_KEY: `${canary}-openai`,
      LOG_LEVEL: 'debug',
      FEATURE_FLAG: 'on',
    });
    expect(await lw.getSecretsAsEnv({ tenant: tenantId, environment: 'staging', service: 'db' })).toEqual({
      PASSWORD: `${canary}-staging`,
    });
    // Without an environment the name is ambiguous: it exists in production and staging.
    await expect(lw.getSecret({ tenant: tenantId, service: 'db', key: 'password' })).rejects.toMatchObject({
      code: 'AMBIGUOUS_SECRET',
    });
  });

  it('reports secrets that derive the same variable name instead of picking one', async () => {
    await putSecret({
      service_name: 'clash',
      secret_key_name: 'api-key',
      environment: 'clash-env',
      secret_value: 'one',
    });
    await putSecret({
      service_name: 'clash',
      secret_key_name: 'api_key',
      environment: 'clash-env',
      secret_value: 'two',
    });
    await putSecret({
      service_name: 'clash',
      secret_key_name: 'other',
      environment: 'clash-env',
      secret_value: 'three',
    });
    const lw = new LockwellClient({ baseUrl: sys.url, credentials: { refreshToken: alice.refresh_token } });
    const err = await lw.getSecretsAsEnv({ tenant: tenantSlug, environment: 'clash-env' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvNameCollisionError);
    expect((err as EnvNameCollisionError).build.collisions).toEqual([
      { name: 'CLASH_API_KEY', sources: ['clash/api-key', 'clash/api_key'] },
    ]);
    expect(await lw.getSecretsAsEnv({ tenant: tenantSlug, environment: 'clash-env', onCollision: 'omit' })).toEqual({
      CLASH_OTHER: 'three',
    });
  });

  it('errors carry the API code, the HTTP status and the request id', async () => {
    const lw = new LockwellClient({ baseUrl: sys.url, credentials: { accessToken: () => alice.access_token } });
    const err = await lw.getSecret({ id: randomUUID() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockwellApiError);
    expect(err).toMatchObject({ code: 'SECRET_NOT_FOUND', status: 404 });
    expect((err as LockwellApiError).requestId).toMatch(/\S+/);
    expect((err as Error).message).not.toContain(canary);
  });

  it('refreshes a session once for many concurrent calls, so rotation never looks like reuse', async () => {
    const login = await loginWithPassword({ baseUrl: sys.url, email: alice.email, password: alice.password });
    const rotations: SessionTokens[] = [];
    // Only the refresh token: the first calls must refresh, all at once.
    const lw = new LockwellClient({
      baseUrl: sys.url,
      credentials: { refreshToken: login.refreshToken, onRefresh: (t) => void rotations.push(t) },
    });
    const values = await Promise.all(
      Array.from({ length: 12 }, () =>
        lw.getSecretValue({ tenant: tenantId, environment: 'production', service: 'db', key: 'password' }),
      ),
    );
    expect(new Set(values)).toEqual(new Set([`${canary}-db`]));
    expect(rotations).toHaveLength(1);
    expect(rotations[0].refreshToken).not.toBe(login.refreshToken);
    // The family is intact: the rotated token refreshes again; the spent one is refused.
    expect((await api.post('/api/v1/auth/refresh', { refresh_token: rotations[0].refreshToken })).status).toBe(200);
  });

  it('a spent refresh token ends in INVALID_REFRESH_TOKEN, a typed 401', async () => {
    const login = await loginWithPassword({ baseUrl: sys.url, email: alice.email, password: alice.password });
    expect((await api.post('/api/v1/auth/refresh', { refresh_token: login.refreshToken })).status).toBe(200);
    const lw = new LockwellClient({ baseUrl: sys.url, credentials: { refreshToken: login.refreshToken } });
    await expect(lw.listSecrets({ tenant: tenantId })).rejects.toMatchObject({
      code: 'INVALID_REFRESH_TOKEN',
      status: 401,
    });
  });

  it('waits out a login lockout as Retry-After says, then logs in', async () => {
    const bob = await createUser(sys, await adminToken(sys));
    for (let i = 0; i < 2; i++)
      expect((await api.post('/api/v1/auth/login', { email: bob.email, password: 'wrong-password-x' })).status).toBe(
        401,
      );
    const locked = await api.post('/api/v1/auth/login', { email: bob.email, password: bob.password });
    expect(locked.status).toBe(429);
    const waitMs = Number(locked.headers.get('retry-after')) * 1000;
    const started = Date.now();
    const tokens = await loginWithPassword({ baseUrl: sys.url, email: bob.email, password: bob.password });
    expect(tokens.refreshToken).toMatch(/^lwrt_/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(waitMs - 1500);
  });

  it('serves cached values while the gateway is down, fresh ones after it is back, and never past a revocation', async () => {
    const { id: tokenId, token } = await apiToken(['secrets:list', 'secrets:read']);
    const stale: string[] = [];
    const lw = new LockwellClient({
      baseUrl: sys.url,
      credentials: { apiToken: token },
      cache: { ttlMs: 300, staleIfErrorMs: 60_000, onStale: (key) => stale.push(key) },
      retry: { retries: 1, baseDelayMs: 50 },
    });
    const ref = { tenant: tenantId, environment: 'production', service: 'openai', key: 'api-key' };
    expect(await lw.getSecretValue(ref)).toBe(`${canary}-openai`);
    expect((await lw.getSecretsAsEnv({ tenant: tenantId, environment: 'production' })).OPENAI_API_KEY).toBe(
      `${canary}-openai`,
    );

    await sys.stopGateway();
    try {
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(await lw.getSecretValue(ref)).toBe(`${canary}-openai`);
      expect((await lw.getSecretsAsEnv({ tenant: tenantId, environment: 'production' })).OPENAI_API_KEY).toBe(
        `${canary}-openai`,
      );
      expect(stale).toHaveLength(2);
      // Nothing cached for this one: the outage reaches the caller as a network error.
      await expect(lw.getSecretValue({ ...ref, key: 'nope' })).rejects.toBeInstanceOf(LockwellNetworkError);
    } finally {
      await sys.startGateway();
    }

    const id = (await lw.getSecret(ref)).id;
    expect(
      (
        await api.put(
          `/api/v1/tenant-secrets/${id}`,
          { secret_value: `${canary}-rotated` },
          { token: alice.access_token },
        )
      ).status,
    ).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await lw.getSecretValue(ref)).toBe(`${canary}-rotated`);

    expect((await api.delete(`/api/v1/tokens/api/${tokenId}`, { token: alice.access_token })).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await expect(lw.getSecretValue(ref)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  it('getConnectionToken returns an access token that the local OpenID provider introspects as active, and a new one past expiry', async () => {
    const provider = await startTestOidcProvider({
      clients: [{ ...CLIENT, redirect_uris: [callbackUrl(sys.url)] }],
      accessTokenTtlSeconds: 2,
    });
    try {
      const serviceId = await registerService(sys.url, await adminToken(sys), provider);
      const done = await connect(sys.url, provider, {
        token: alice.access_token,
        serviceId,
        login: `sdk-${randomUUID()}`,
        body: { tenant_id: tenantId },
      });
      expect(done.status).toBe(200);
      const { token } = await apiToken(['connections:use']);
      const lw = new LockwellClient({ baseUrl: sys.url, credentials: { apiToken: token } });
      const first = await lw.getConnectionToken(done.body.connection.id);
      expect(first).toEqual({
        access_token: expect.any(String),
        token_type: expect.stringMatching(/^bearer$/i),
        expires_at: expect.any(String),
        scopes: expect.arrayContaining(['openid']),
        extra: {},
      });
      expect(await provider.introspect(first.access_token)).toMatchObject({ active: true });
      await new Promise((resolve) => setTimeout(resolve, 2300));
      const second = await lw.getConnectionToken(done.body.connection.id, { scopes: ['openid'] });
      expect(second.access_token).not.toBe(first.access_token);
      expect(await provider.introspect(second.access_token)).toMatchObject({ active: true });
      await expect(lw.getConnectionToken(done.body.connection.id, { scopes: ['repo'] })).rejects.toMatchObject({
        code: 'INSUFFICIENT_SCOPE',
        status: 403,
      });
    } finally {
      await provider.stop();
    }
  });
});
