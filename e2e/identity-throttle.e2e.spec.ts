import pg from 'pg';
import { hashPassword } from '@lockwell/crypto';
import { ADMIN, startSystem, type TestSystem } from './support/system.js';
import { clientFor } from './support/http.js';
import { adminToken, createUser, login } from './support/auth.js';

// Login throttling (PW-4), hash upgrades (PW-1) and enumeration resistance (PW-3), on a system of its own
// with low thresholds, so the lockouts here cannot disturb other suites.
describe('identity: password protections', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sys = await startSystem({
      env: {
        LOCKWELL_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        LOCKWELL_LOGIN_MAX_FAILURES_PER_IP: '12',
        LOCKWELL_LOGIN_LOCKOUT_BASE_SECONDS: '30',
      },
    });
    api = clientFor(sys.url);
  });
  afterAll(() => sys?.stop());

  it('upgrades a hash made with weaker argon2id parameters on the next login (PW-1)', async () => {
    const user = await createUser(sys, await adminToken(sys));
    const db = new pg.Client({ connectionString: sys.databaseUrl('identity') });
    await db.connect();
    try {
      const [created] = (await db.query(`select password_hash from users where id = $1`, [user.id])).rows;
      expect(created.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$/);
      await db.query(`update users set password_hash = $1 where id = $2`, [
        await hashPassword(user.password, { memoryCost: 8192, timeCost: 1, parallelism: 1 }),
        user.id,
      ]);
      await login(sys, user.email, user.password);
      const [upgraded] = (await db.query(`select password_hash from users where id = $1`, [user.id])).rows;
      expect(upgraded.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await expect(login(sys, user.email, user.password)).resolves.toBeDefined();
    } finally {
      await db.end();
    }
  });

  it('locks an account after repeated failures with 429 + Retry-After, the same for unknown accounts (PW-4, PW-3)', async () => {
    const user = await createUser(sys, await adminToken(sys));
    for (const email of [user.email, 'ghost@lockwell.test']) {
      for (let i = 0; i < 3; i++)
        expect((await api.post('/api/v1/auth/login', { email, password: 'wrong-password-x' })).status).toBe(401);
      const locked = await api.post('/api/v1/auth/login', { email, password: 'wrong-password-x' });
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('RATE_LIMITED');
      const retry = Number(locked.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(30);
    }
    // Even the right password waits while the account is locked.
    expect((await api.post('/api/v1/auth/login', { email: user.email, password: user.password })).status).toBe(429);
  });

  it('throttles per client IP, and a spoofed X-Forwarded-For from an untrusted peer changes nothing (PW-4)', async () => {
    let limited = 0;
    for (let i = 0; i < 14; i++) {
      const res = await api.post(
        '/api/v1/auth/login',
        { email: `spray-${i}@lockwell.test`, password: 'wrong-password-x' },
        { headers: { 'x-forwarded-for': `203.0.113.${i}` } },
      );
      if (res.status === 429) limited++;
      else expect(res.status).toBe(401);
    }
    expect(limited).toBeGreaterThanOrEqual(1);
    const admin = await api.post('/api/v1/auth/login', ADMIN, { headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(admin.status).toBe(429);
    expect(Number(admin.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

// Hole 6 of issue 15: the check-then-verify-then-record throttle lost to concurrency (40 parallel wrong
// passwords were all checked against the hash). Attempts are now counted before the verification.
describe('identity: login throttling under a concurrent burst (PW-4)', () => {
  const ACCOUNT_LIMIT = 5;
  const IP_LIMIT = 20;
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sys = await startSystem({
      env: {
        LOCKWELL_LOGIN_MAX_FAILURES_PER_ACCOUNT: String(ACCOUNT_LIMIT),
        LOCKWELL_LOGIN_MAX_FAILURES_PER_IP: String(IP_LIMIT),
        LOCKWELL_LOGIN_LOCKOUT_BASE_SECONDS: '60',
      },
    });
    api = clientFor(sys.url);
  });
  afterAll(() => sys?.stop());

  const burst = async (emails: string[]) => {
    const statuses = await Promise.all(
      emails.map((email) =>
        api.post('/api/v1/auth/login', { email, password: 'wrong-password-x' }).then((r) => r.status),
      ),
    );
    return {
      checked: statuses.filter((s) => s === 401).length,
      limited: statuses.filter((s) => s === 429).length,
      other: statuses.filter((s) => s !== 401 && s !== 429),
    };
  };

  it('gives 40 concurrent wrong passwords for one account at most the account limit of guesses', async () => {
    const user = await createUser(sys, await adminToken(sys));
    const result = await burst(Array.from({ length: 40 }, () => user.email));
    expect(result).toEqual({ checked: ACCOUNT_LIMIT, limited: 40 - ACCOUNT_LIMIT, other: [] });
    expect((await api.post('/api/v1/auth/login', { email: user.email, password: user.password })).status).toBe(429);
  });

  it('gives 40 concurrent wrong passwords on 40 accounts from one address at most the IP limit of guesses', async () => {
    // The burst above already spent ACCOUNT_LIMIT of this address's attempts (all tests come from 127.0.0.1).
    const result = await burst(Array.from({ length: 40 }, (_, i) => `spray-${i}-${Date.now()}@lockwell.test`));
    expect(result.other).toEqual([]);
    expect(result.checked).toBe(IP_LIMIT - ACCOUNT_LIMIT);
    expect(result.limited).toBe(40 - (IP_LIMIT - ACCOUNT_LIMIT));
  });
});
