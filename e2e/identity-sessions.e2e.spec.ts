import pg from 'pg';
import { generateKeyPairSync, randomUUID, createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, decodeJwt } from 'jose';
import { buildAad, open, parseMasterKeyRing } from '@lockwell/crypto';
import { auditRecordsWhere, eventually } from '@lockwell/testing';
import { ADMIN, startSystem, type TestSystem } from './support/system.js';
import { clientFor } from './support/http.js';
import { adminToken, createUser, login } from './support/auth.js';

// Access tokens, refresh rotation, revocation and signing keys (SES-1..SES-9, KEY-5).
describe('identity: sessions and tokens', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let admin: string;

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
    admin = await adminToken(sys);
  });
  afterAll(() => sys?.stop());

  async function query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: sys.databaseUrl('identity') });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** The identity service's real signing key, unsealed with the master key: lets the test forge valid signatures. */
  async function realSigningKey(kid: string): Promise<KeyObject> {
    const [row] = await query<{ private_key_sealed: Buffer }>(
      `select private_key_sealed from signing_keys where kid = $1`,
      [kid],
    );
    const ring = parseMasterKeyRing(sys.masterKey, 'test');
    const der = open((id) => ring.key(id), row!.private_key_sealed, buildAad({ purpose: 'jwt-signing-key', kid }));
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  }

  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const me = (token: string) => api.get('/api/v1/users/me', { token });

  describe('access JWTs (SES-1, SES-2, SES-3)', () => {
    let user: Awaited<ReturnType<typeof createUser>>;
    let kid: string;
    let key: KeyObject;
    const now = () => Math.floor(Date.now() / 1000);
    const claims = () => ({
      iss: 'lockwell',
      aud: 'lockwell-api',
      sub: user.id,
      sid: decodeJwt(user.access_token).sid as string,
      jti: randomUUID(),
      iat: now(),
      nbf: now(),
      exp: now() + 300,
    });
    const forge = (payload: Record<string, unknown>, header: Record<string, unknown> = {}, signWith: KeyObject = key) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt', ...header } as never).sign(signWith);

    beforeAll(async () => {
      user = await createUser(sys, admin);
      kid = decodeProtectedHeader(user.access_token).kid!;
      key = await realSigningKey(kid);
    });

    it('issues short-lived EdDSA at+jwt tokens with kid, iss, aud, sub, sid and jti', () => {
      const header = decodeProtectedHeader(user.access_token);
      expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt', kid: expect.any(String) });
      const payload = decodeJwt(user.access_token);
      expect(payload).toMatchObject({
        iss: 'lockwell',
        aud: 'lockwell-api',
        sub: user.id,
        sid: expect.any(String),
        jti: expect.any(String),
      });
      expect(payload.exp! - payload.iat!).toBe(600);
    });

    it('accepts a token the test signs with the real key and correct claims (the forgeries below differ in one thing)', async () => {
      expect((await me(await forge(claims()))).status).toBe(200);
    });

    it('refuses alg=none', async () => {
      const token = `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(claims())}.`;
      expect((await me(token)).status).toBe(401);
    });

    it('refuses a token signed with another key under the real kid', async () => {
      const other = generateKeyPairSync('ed25519').privateKey;
      expect((await me(await forge(claims(), {}, other))).status).toBe(401);
    });

    it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
      const jwks = await api.get('/.well-known/jwks.json');
      const jwk = jwks.body.keys.find((k: { kid: string }) => k.kid === kid);
      for (const secret of [Buffer.from(jwk.x, 'base64url'), Buffer.from(JSON.stringify(jwk))]) {
        const token = await new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
          .sign(new Uint8Array(secret));
        expect((await me(token)).status).toBe(401);
      }
    });

    it('refuses an unknown kid, and jku / jwk / x5u headers even with a valid signature', async () => {
      expect((await me(await forge(claims(), { kid: 'no-such-kid' }))).status).toBe(401);
      expect((await me(await forge(claims(), { jku: 'https://attacker.example/jwks.json' }))).status).toBe(401);
      expect((await me(await forge(claims(), { x5u: 'https://attacker.example/cert.pem' }))).status).toBe(401);
      const pub = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
      expect((await me(await forge(claims(), { jwk: pub }))).status).toBe(401);
    });

    it('refuses expired, not-yet-valid, wrong audience, wrong issuer, wrong typ and missing claims', async () => {
      const cases: [Record<string, unknown>, Record<string, unknown>][] = [
        [{ ...claims(), iat: now() - 1000, nbf: now() - 1000, exp: now() - 120 }, {}],
        [{ ...claims(), nbf: now() + 600 }, {}],
        [{ ...claims(), aud: 'someone-else' }, {}],
        [{ ...claims(), iss: 'https://evil.example' }, {}],
        [claims(), { typ: 'JWT' }],
        [claims(), { typ: 'id_token+jwt' }],
        [{ ...claims(), sid: undefined }, {}],
        [{ ...claims(), exp: undefined }, {}],
      ];
      for (const [payload, header] of cases) {
        const res = await me(await forge(JSON.parse(JSON.stringify(payload)), header));
        expect({ payload, header, status: res.status }).toEqual({ payload, header, status: 401 });
      }
    });

    it('refuses a refresh token where an access token is expected', async () => {
      expect(user.refresh_token).toMatch(/^lwrt_[A-Za-z0-9_-]{43}$/);
      const res = await me(user.refresh_token);
      expect(res.status).toBe(401);
    });

    it('stores refresh tokens only as SHA-256 hashes', async () => {
      const rows = await query<{ token_hash: string }>(`select token_hash from refresh_tokens`);
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
      const dump =
        JSON.stringify(await query(`select * from refresh_tokens`)) +
        JSON.stringify(await query(`select * from sessions`));
      expect(dump).not.toContain(user.refresh_token);
    });
  });

  describe('refresh rotation (SES-4, SES-5, SES-6)', () => {
    it('rotates: a new pair, and the old refresh token is marked used', async () => {
      const user = await createUser(sys, admin);
      const res = await api.post('/api/v1/auth/refresh', { refresh_token: user.refresh_token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 600,
      });
      expect(res.body.refresh_token).not.toBe(user.refresh_token);
      expect(decodeJwt(res.body.access_token).sid).toBe(decodeJwt(user.access_token).sid);
      const statuses = await query<{ status: string }>(
        `select t.status from refresh_tokens t join sessions s on s.id = t.session_id where s.user_id = $1 order by t.created_at`,
        [user.id],
      );
      expect(statuses.map((s) => s.status)).toEqual(['used', 'active']);
      expect((await me(res.body.access_token)).status).toBe(200);
    });

    it('revokes the whole family when a spent refresh token is reused, and audits it', async () => {
      const user = await createUser(sys, admin);
      const first = await api.post('/api/v1/auth/refresh', { refresh_token: user.refresh_token });
      expect(first.status).toBe(200);
      const reuse = await api.post('/api/v1/auth/refresh', { refresh_token: user.refresh_token });
      expect(reuse.status).toBe(401);
      expect(reuse.body.error.code).toBe('INVALID_REFRESH_TOKEN');
      const newest = await api.post('/api/v1/auth/refresh', { refresh_token: first.body.refresh_token });
      expect(newest.status).toBe(401);
      await eventually(async () => (await me(first.body.access_token)).status === 401, 1000);
      const [session] = await query<{ id: string; revoke_reason: string }>(
        `select id, revoke_reason from sessions where user_id = $1`,
        [user.id],
      );
      expect(session!.revoke_reason).toBe('refresh_token_reuse');
      const [record, ...more] = await auditRecordsWhere(
        sys.nats,
        (r) => r.data.action === 'auth.refresh_reuse' && r.data.resource_id === session!.id,
      );
      expect(more).toHaveLength(0);
      expect(record).toMatchObject({
        subject: 'audit.identity.auth.refresh_reuse',
        data: { outcome: 'failed', actor: { type: 'user', id: user.id }, detail: { family_revoked: true } },
      });
      expect(JSON.stringify(record)).not.toContain(user.refresh_token);
    });

    it('lets exactly one of many concurrent refreshes win', async () => {
      const user = await createUser(sys, admin);
      const results = await Promise.all(
        Array.from({ length: 8 }, () => api.post('/api/v1/auth/refresh', { refresh_token: user.refresh_token })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 401)).toHaveLength(7);
      const issued = await query(
        `select t.id from refresh_tokens t join sessions s on s.id = t.session_id where s.user_id = $1`,
        [user.id],
      );
      expect(issued).toHaveLength(2);
    });

    it('refuses an unknown refresh token and rejects unknown body fields', async () => {
      expect((await api.post('/api/v1/auth/refresh', { refresh_token: 'lwrt_nope' })).status).toBe(401);
      const extra = await api.post('/api/v1/auth/refresh', { refresh_token: 'x', user_id: randomUUID() });
      expect(extra.status).toBe(400);
      expect(extra.body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('ending sessions (SES-8, SES-9)', () => {
    it('logout ends the session: its access token and refresh token stop working at once', async () => {
      const user = await createUser(sys, admin);
      const res = await api.post('/api/v1/auth/logout', {}, { token: user.access_token });
      expect(res.status).toBe(204);
      expect((await me(user.access_token)).status).toBe(401);
      expect((await api.post('/api/v1/auth/refresh', { refresh_token: user.refresh_token })).status).toBe(401);
    });

    it('logout requires authentication', async () => {
      expect((await api.post('/api/v1/auth/logout', {})).status).toBe(401);
    });

    it("lists the caller's sessions with the current one marked, and revokes another within 1 s", async () => {
      const user = await createUser(sys, admin);
      const second = await login(sys, user.email, user.password);
      const list = await api.get('/api/v1/tokens/sessions', { token: user.access_token });
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(2);
      const current = decodeJwt(user.access_token).sid;
      for (const s of list.body.items) {
        expect(Object.keys(s).sort()).toEqual([
          'created_at',
          'current',
          'expires_at',
          'id',
          'ip',
          'last_used_at',
          'user_agent',
        ]);
        expect(s.current).toBe(s.id === current);
      }
      const other = list.body.items.find((s: { current: boolean }) => !s.current);
      expect((await api.delete(`/api/v1/tokens/sessions/${other.id}`, { token: user.access_token })).status).toBe(204);
      await eventually(async () => (await me(second.access_token)).status === 401, 1000, 20);
      expect((await me(user.access_token)).status).toBe(200);
      expect((await api.get('/api/v1/tokens/sessions', { token: user.access_token })).body.items).toHaveLength(1);
    });

    it("answers 404 for another user's session, and lets an admin revoke all of a user's sessions", async () => {
      const alice = await createUser(sys, admin);
      const bob = await createUser(sys, admin);
      const aliceSid = decodeJwt(alice.access_token).sid as string;
      const foreign = await api.delete(`/api/v1/tokens/sessions/${aliceSid}`, { token: bob.access_token });
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe('SESSION_NOT_FOUND');
      expect((await me(alice.access_token)).status).toBe(200);
      const all = await api.delete(`/api/v1/users/${alice.id}/sessions`, { token: admin });
      expect(all.status).toBe(200);
      expect(all.body).toEqual({ revoked_sessions: 1 });
      await eventually(async () => (await me(alice.access_token)).status === 401, 1000, 20);
      expect((await api.delete(`/api/v1/users/${alice.id}/sessions`, { token: bob.access_token })).status).toBe(403);
    });

    it('a password change needs the current password and ends the other sessions within 1 s', async () => {
      const user = await createUser(sys, admin);
      const other = await login(sys, user.email, user.password);
      const wrong = await api.post(
        '/api/v1/users/me/password',
        { current_password: 'not-the-password', new_password: 'a-brand-new-passphrase' },
        { token: user.access_token },
      );
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details).toEqual([{ field: 'current_password', issue: 'is not correct' }]);
      const weak = await api.post(
        '/api/v1/users/me/password',
        { current_password: user.password, new_password: 'password1' },
        { token: user.access_token },
      );
      expect(weak.status).toBe(400);
      expect(weak.body.error.details[0].field).toBe('new_password');
      const ok = await api.post(
        '/api/v1/users/me/password',
        { current_password: user.password, new_password: 'a-brand-new-passphrase' },
        { token: user.access_token },
      );
      expect(ok.status).toBe(204);
      await eventually(async () => (await me(other.access_token)).status === 401, 1000, 20);
      expect((await api.post('/api/v1/auth/refresh', { refresh_token: other.refresh_token })).status).toBe(401);
      expect((await me(user.access_token)).status).toBe(200);
      await expect(login(sys, user.email, user.password)).rejects.toThrow(/401/);
      await expect(login(sys, user.email, 'a-brand-new-passphrase')).resolves.toBeDefined();
    });

    it('disabling a user refuses their access token within 1 s, their refresh token, and their logins', async () => {
      const user = await createUser(sys, admin);
      const res = await api.put(`/api/v1/users/${user.id}`, { status: 'disabled' }, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('disabled');
      await eventually(async () => (await me(user.access_token)).status === 401, 1000, 20);
      expect((await api.post('/api/v1/auth/refresh', { refresh_token: user.refresh_token })).status).toBe(401);
      const relogin = await api.post('/api/v1/auth/login', { email: user.email, password: user.password });
      expect(relogin.status).toBe(401);
      expect(relogin.body.error.code).toBe('INVALID_CREDENTIALS');
    });
  });

  describe('signing keys (KEY-5)', () => {
    it('publishes the JWKS publicly, without private material', async () => {
      const res = await api.get('/.well-known/jwks.json');
      expect(res.status).toBe(200);
      expect(res.body.keys.length).toBeGreaterThanOrEqual(1);
      for (const k of res.body.keys) {
        expect(k).toMatchObject({
          kty: 'OKP',
          crv: 'Ed25519',
          alg: 'EdDSA',
          use: 'sig',
          kid: expect.any(String),
          x: expect.any(String),
        });
        expect(k.d).toBeUndefined();
      }
    });

    it('rotates: new tokens carry the new kid, tokens under the old key keep working, both are published', async () => {
      const before = await createUser(sys, admin);
      const oldKid = decodeProtectedHeader(before.access_token).kid;
      const user = await createUser(sys, admin);
      expect((await api.post('/api/v1/auth/keys/rotate', {}, { token: user.access_token })).status).toBe(403);
      const rotated = await api.post('/api/v1/auth/keys/rotate', {}, { token: admin });
      expect(rotated.status).toBe(200);
      expect(rotated.body.previous_kid).toBe(oldKid);
      const after = await login(sys, before.email, before.password);
      expect(decodeProtectedHeader(after.access_token).kid).toBe(rotated.body.kid);
      expect((await me(before.access_token)).status).toBe(200);
      expect((await me(after.access_token)).status).toBe(200);
      const kids = (await api.get('/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
      expect(kids).toEqual(expect.arrayContaining([oldKid, rotated.body.kid]));
      const [row] = await query<{ private_key_sealed: Buffer }>(
        `select private_key_sealed from signing_keys where kid = $1`,
        [rotated.body.kid],
      );
      expect(row!.private_key_sealed[0]).toBe(1); // sealed (format v1 header), not a PEM/DER private key
      admin = await adminToken(sys);
    });
  });

  it('never returns a password hash or a token hash', async () => {
    const user = await createUser(sys, admin);
    const bodies = [
      await api.get('/api/v1/users', { token: admin }),
      await api.get(`/api/v1/users/${user.id}`, { token: admin }),
      await api.get('/api/v1/users/me', { token: user.access_token }),
      await api.get('/api/v1/tokens/sessions', { token: user.access_token }),
      await api.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password }),
    ].map((r) => r.text);
    const hashes = (await query<{ password_hash: string }>(`select password_hash from users`)).map(
      (r) => r.password_hash,
    );
    const tokenHashes = (await query<{ token_hash: string }>(`select token_hash from refresh_tokens`)).map(
      (r) => r.token_hash,
    );
    for (const text of bodies) {
      expect(text).not.toMatch(/\$argon2/);
      expect(text).not.toMatch(/hash/i);
      for (const h of [...hashes, ...tokenHashes]) expect(text).not.toContain(h);
    }
  });
});
