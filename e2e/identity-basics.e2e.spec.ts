import { ADMIN, startSystem, type TestSystem } from './support/system.js';
import { clientFor } from './support/http.js';
import { adminToken, createUser, login } from './support/auth.js';

describe('identity: login, users, the auth guard', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
  });
  afterAll(() => sys?.stop());

  it('lets the bootstrap admin log in and answers the documented token shape', async () => {
    const res = await api.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 600,
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('lets an admin create a user who then reads /users/me', async () => {
    const admin = await adminToken(sys);
    const user = await createUser(sys, admin, { full_name: 'Ada Lovelace' });
    const me = await api.get('/api/v1/users/me', { token: user.access_token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: user.id,
      email: user.email,
      full_name: 'Ada Lovelace',
      status: 'active',
      roles: [{ name: 'member' }],
    });
    expect(JSON.stringify(me.body)).not.toMatch(/argon2|hash/i);
  });

  it('answers 401 without a token and with a garbage one', async () => {
    const none = await api.get('/api/v1/users/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    const garbage = await api.get('/api/v1/users/me', { token: 'not-a-jwt' });
    expect(garbage.status).toBe(401);
  });

  it('answers wrong password and unknown user identically', async () => {
    const wrong = await api.post('/api/v1/auth/login', { email: ADMIN.email, password: 'definitely-not-it' });
    const unknown = await api.post('/api/v1/auth/login', {
      email: 'nobody-here@lockwell.test',
      password: 'definitely-not-it',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = (b: { error: Record<string, unknown> }) => ({ ...b.error, request_id: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    await expect(login(sys, ADMIN.email, ADMIN.password)).resolves.toBeDefined();
  });
});
