import type { EntityManager } from '@mikro-orm/postgresql';
import { hashToken } from '@lockwell/crypto';
import { anonymous, FakeClock, fakeUnitOfWork, recordingOutbox } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { PasswordHasher } from '../password/password-hasher.js';
import type { SessionRevoker } from '../session/session-revoker.js';
import type { LockedRefreshToken, LockedSession, SessionRepository } from '../session/session.repository.js';
import type { LoginThrottleService } from '../throttle/login-throttle.service.js';
import { UserEntity } from '../user/user.entity.js';
import type { UserRepository } from '../user/user.repository.js';
import type { AccessTokenIssuer } from './access-token.issuer.js';
import { AuthService, REFRESH_TOKEN_PREFIX } from './auth.service.js';

// Login and refresh-token rotation rules (PW-3, PW-4, SES-4, SES-5, SES-7) with every collaborator faked:
// users, sessions and refresh tokens in memory, a hasher that compares tags, a throttle that records.

const PASSWORD = 'a perfectly long passphrase';
const config = { LOCKWELL_REFRESH_IDLE_TTL_SECONDS: 600, LOCKWELL_REFRESH_ABSOLUTE_TTL_SECONDS: 1500 } as Config;

function setUp() {
  const clock = new FakeClock('2026-12-01T10:00:00Z');
  const user = Object.assign(new UserEntity(), {
    id: randomUUID(),
    email: 'ada@example.test',
    fullName: 'Ada',
    passwordHash: `hashed:${PASSWORD}`,
    status: 'active',
  });
  const sessions = new Map<
    string,
    { id: string; userId: string; revokedAt: Date | null; expiresAt: Date; idleExpiresAt: Date }
  >();
  const tokens = new Map<string, LockedRefreshToken & { session_id: string }>();
  const throttle: string[] = [];
  const dummyVerifies: string[] = [];
  const revoked: string[][] = [];
  const users = {
    findByEmail: async (_em: EntityManager, email: string) => (email === user.email ? user : null),
    find: async (_em: EntityManager, id: string) => (id === user.id ? user : null),
  } as unknown as UserRepository;
  const repository = {
    add: (_em: EntityManager, userId: string, s: { id: string; expiresAt: Date; idleExpiresAt: Date }) => {
      const session = { ...s, userId, revokedAt: null };
      sessions.set(s.id, session);
      return session;
    },
    addRefreshToken: (_em: EntityManager, sessionId: string, t: { id: string; tokenHash: string; expiresAt: Date }) =>
      void tokens.set(t.tokenHash, { id: t.id, session_id: sessionId, status: 'active', expires_at: t.expiresAt }),
    sessionIdByTokenHash: async (_em: EntityManager, hash: string) => tokens.get(hash)?.session_id,
    lock: async (_em: EntityManager, id: string): Promise<LockedSession | undefined> => {
      const s = sessions.get(id);
      return (
        s && {
          id: s.id,
          user_id: s.userId,
          revoked_at: s.revokedAt,
          expires_at: s.expiresAt,
          idle_expires_at: s.idleExpiresAt,
        }
      );
    },
    lockTokenByHash: async (_em: EntityManager, hash: string) => tokens.get(hash),
    rotated: async (_em: EntityManager, sessionId: string, spentId: string, _now: Date, idleExpiresAt: Date) => {
      for (const t of tokens.values()) if (t.id === spentId) t.status = 'used';
      sessions.get(sessionId)!.idleExpiresAt = idleExpiresAt;
    },
  } as unknown as SessionRepository;
  const revoker = {
    revoke: async (_em: EntityManager, _userId: string, _reason: string, which: { sessionIds: string[] }) => {
      revoked.push(which.sessionIds);
      for (const id of which.sessionIds) sessions.get(id)!.revokedAt = clock.now();
      return which.sessionIds;
    },
  } as unknown as SessionRevoker;
  const hasher = {
    verify: async (phc: string, password: string) => phc === `hashed:${password}`,
    dummyVerify: async (password: string) => void dummyVerifies.push(password),
    needsRehash: () => false,
  } as unknown as PasswordHasher;
  const limiter = {
    reserve: async (_em: EntityManager, s: { account: string }) => (
      throttle.push(`reserve ${s.account}`),
      { ipLockedUntil: null }
    ),
    succeeded: async (_em: EntityManager, s: { account: string }) => void throttle.push(`succeeded ${s.account}`),
  } as unknown as LoginThrottleService;
  const issuer = { issue: async () => 'an.access.jwt', ttlSeconds: 600 } as unknown as AccessTokenIssuer;
  const outbox = recordingOutbox();
  const service = new AuthService(
    fakeUnitOfWork(),
    users,
    repository,
    outbox,
    limiter,
    issuer,
    revoker,
    hasher,
    clock,
    config,
  );
  return { service, user, sessions, tokens, throttle, dummyVerifies, revoked, outbox, clock };
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: string }) => e.code,
  );

describe('AuthService', () => {
  it('logs in: a session with its first refresh token, the attempt settled with the throttle, the login audited', async () => {
    const t = setUp();
    const pair = await t.service.login(anonymous(), { email: ' Ada@Example.test ', password: PASSWORD });
    expect(pair).toMatchObject({ access_token: 'an.access.jwt', token_type: 'Bearer', expires_in: 600 });
    expect(pair.refresh_token.startsWith(REFRESH_TOKEN_PREFIX)).toBe(true);
    expect(t.tokens.get(hashToken(pair.refresh_token))).toMatchObject({ status: 'active' });
    expect(t.throttle).toEqual(['reserve ada@example.test', 'succeeded ada@example.test']);
    expect(t.outbox.audits.map((a) => [a.action, a.outcome])).toEqual([['auth.login', undefined]]);
  });

  it('answers a wrong password, an unknown account and a disabled user alike, each counted before the check', async () => {
    const t = setUp();
    expect(await code(t.service.login(anonymous(), { email: 'ada@example.test', password: 'not it at all' }))).toBe(
      'INVALID_CREDENTIALS',
    );
    expect(await code(t.service.login(anonymous(), { email: 'nobody@example.test', password: PASSWORD }))).toBe(
      'INVALID_CREDENTIALS',
    );
    t.user.status = 'disabled';
    expect(await code(t.service.login(anonymous(), { email: 'ada@example.test', password: PASSWORD }))).toBe(
      'INVALID_CREDENTIALS',
    );
    expect(t.dummyVerifies).toEqual([PASSWORD]); // the unknown account costs a verification too (PW-3)
    expect(t.throttle).toEqual(['reserve ada@example.test', 'reserve nobody@example.test', 'reserve ada@example.test']);
    expect(t.outbox.audits.map((a) => [a.outcome, a.detail])).toEqual([
      ['failed', { reason: 'wrong_password' }],
      ['failed', { reason: 'unknown_account' }],
      ['failed', { reason: 'account_disabled' }],
    ]);
    expect(t.sessions.size).toBe(0);
  });

  it('rotates a refresh token: a new one for the same session, the old one spent', async () => {
    const t = setUp();
    const first = await t.service.login(anonymous(), { email: 'ada@example.test', password: PASSWORD });
    const next = await t.service.refresh(anonymous(), first.refresh_token);
    expect(next.refresh_token).not.toBe(first.refresh_token);
    expect(t.tokens.get(hashToken(first.refresh_token))!.status).toBe('used');
    expect(t.tokens.get(hashToken(next.refresh_token))!.session_id).toBe(
      t.tokens.get(hashToken(first.refresh_token))!.session_id,
    );
  });

  it('revokes the whole family when a spent refresh token is presented again, and audits the reuse', async () => {
    const t = setUp();
    const first = await t.service.login(anonymous(), { email: 'ada@example.test', password: PASSWORD });
    const next = await t.service.refresh(anonymous(), first.refresh_token);
    expect(await code(t.service.refresh(anonymous(), first.refresh_token))).toBe('INVALID_REFRESH_TOKEN');
    const sessionId = t.tokens.get(hashToken(first.refresh_token))!.session_id;
    expect(t.revoked).toEqual([[sessionId]]);
    expect(t.outbox.audits.at(-1)).toMatchObject({
      action: 'auth.refresh_reuse',
      outcome: 'failed',
      resourceId: sessionId,
    });
    expect(await code(t.service.refresh(anonymous(), next.refresh_token))).toBe('INVALID_REFRESH_TOKEN');
  });

  it('refuses an unknown token, and a token past its idle lifetime', async () => {
    const t = setUp();
    expect(await code(t.service.refresh(anonymous(), `${REFRESH_TOKEN_PREFIX}unknown`))).toBe('INVALID_REFRESH_TOKEN');
    const pair = await t.service.login(anonymous(), { email: 'ada@example.test', password: PASSWORD });
    t.clock.set(new Date(t.clock.now().getTime() + 600_000));
    expect(await code(t.service.refresh(anonymous(), pair.refresh_token))).toBe('INVALID_REFRESH_TOKEN');
    expect(t.revoked).toEqual([]);
  });
});
