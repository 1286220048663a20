import { RevokedSessions } from '../apps/gateway/src/auth/revoked-sessions.js';
import { eventually } from '@lockwell/testing';
import { startSystem, type TestSystem } from './support/system.js';
import { clientFor } from './support/http.js';
import { adminToken, createUser } from './support/auth.js';

// The gateway never guesses who is calling: while it cannot know the revoked sessions, or cannot ask identity
// or tenants about a caller it has not cached, it answers 503 (SES-8, README "Revocation and staleness").
describe('gateway: fails closed while identity or tenants cannot be asked', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let admin: string;

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
    admin = await adminToken(sys);
  });
  afterAll(() => sys?.stop());

  const me = (token: string) => api.get('/api/v1/users/me', { token });

  it('answers 503 for an uncached caller while tenants is down, and serves them once it is back', async () => {
    const user = await createUser(sys, admin);
    await sys.services.tenants.close();
    const res = await me(user.access_token);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    await sys.restartService('tenants');
    await eventually(async () => (await me(user.access_token)).status === 200, 10_000, 100);
  });

  it('answers 503 for an uncached caller while identity is down', async () => {
    const user = await createUser(sys, admin);
    await sys.services.identity.close();
    try {
      const res = await me(user.access_token);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await sys.restartService('identity');
    }
    await eventually(async () => (await me(user.access_token)).status === 200, 10_000, 100);
  });

  it('answers 503 to every access token while the revoked-session list is reloading, until identity answers', async () => {
    const user = await createUser(sys, admin);
    expect((await me(user.access_token)).status).toBe(200);
    await sys.services.identity.close();
    // What a NATS reconnect triggers: the list may have missed revocations, so it is reloaded before trusting it.
    const reload = sys.gateway.get(RevokedSessions).resync();
    try {
      const res = await me(user.access_token);
      expect(res.status).toBe(503);
      expect((await me(admin)).status).toBe(503);
    } finally {
      await sys.restartService('identity');
    }
    await reload;
    expect((await me(user.access_token)).status).toBe(200);
  });
});
