import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, RefreshTokenReused, type CallContext, type Principal, type TokenPair } from '@lockwell/contracts';
import { generateToken, hashToken } from '@lockwell/crypto';
import { CLOCK, type Clock, LockwellError, Outbox, requirePrincipal, SERVICE_CONFIG } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { PASSWORD_HASHER, type PasswordHasher } from '../password/password-hasher.js';
import { SessionRevoker } from '../session/session-revoker.js';
import { SessionRepository } from '../session/session.repository.js';
import { LoginThrottleService } from '../throttle/login-throttle.service.js';
import { UserRepository } from '../user/user.repository.js';
import { AccessTokenIssuer } from './access-token.issuer.js';

/** Refresh tokens are opaque: 256 random bits behind a prefix that tells them apart from API tokens. */
export const REFRESH_TOKEN_PREFIX = 'lwrt_';

const invalidCredentials = () => new LockwellError(ErrorCode.INVALID_CREDENTIALS, 'The email or password is incorrect');
const invalidRefresh = () =>
  new LockwellError(ErrorCode.INVALID_REFRESH_TOKEN, 'The refresh token is invalid, expired or revoked');

/** The audit actor of a login: the user who just proved who they are. */
const asUser = (ctx: CallContext, userId: string, sessionId: string | null): CallContext => ({
  ...ctx,
  principal: {
    kind: 'user',
    userId,
    tokenId: null,
    sessionId,
    globalRoles: [],
    globalPermissions: [],
    memberships: [],
  } satisfies Principal,
});

type RefreshOutcome =
  { kind: 'ok'; userId: string; sessionId: string; refreshToken: string } | { kind: 'reused' } | { kind: 'invalid' };

/** Login, refresh-token rotation with reuse detection, logout (SES-3..SES-8, PW-3, PW-4). */
@Injectable()
export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly outbox: Outbox,
    private readonly throttle: LoginThrottleService,
    private readonly issuer: AccessTokenIssuer,
    private readonly revoker: SessionRevoker,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
  ) {}

  async login(ctx: CallContext, body: { email: string; password: string }): Promise<TokenPair> {
    const account = body.email.trim().toLowerCase();
    const subject = { account, ip: ctx.ip };
    // Counted before the password is checked: a concurrent burst cannot get more guesses than the limit.
    const reservation = await this.throttle.reserve(this.em, subject);
    const user = await this.users.findByEmail(this.em, account, { withPasswordHash: true });
    // Unknown accounts cost one argon2 verify too, and every failure looks the same (PW-3).
    let ok = false;
    if (user) ok = await this.hasher.verify(user.passwordHash, body.password);
    else await this.hasher.dummyVerify(body.password);
    if (!user || !ok || user.status !== 'active') {
      await this.em.transactional(async (tx) => {
        this.outbox.audit(tx, ctx, {
          action: 'auth.login',
          resourceType: 'user',
          resourceId: user?.id ?? null,
          tenantId: null,
          outcome: 'failed',
          detail: { reason: !user ? 'unknown_account' : !ok ? 'wrong_password' : 'account_disabled' },
        });
      });
      throw invalidCredentials();
    }
    // Upgrade the hash when the configured cost rose since it was made (PW-1).
    const rehashed = this.hasher.needsRehash(user.passwordHash) ? await this.hasher.hash(body.password) : null;
    const { sessionId, refreshToken } = await this.em.transactional(async (tx) => {
      await this.throttle.succeeded(tx, subject, reservation);
      const now = this.clock.now();
      const fresh = await this.users.find(tx, user.id);
      if (!fresh) throw invalidCredentials(); // deleted while its password was being verified
      fresh.lastLoginAt = now;
      if (rehashed) fresh.passwordHash = rehashed;
      const created = await this.startSession(tx, user.id, ctx);
      this.outbox.audit(tx, asUser(ctx, user.id, created.sessionId), {
        action: 'auth.login',
        resourceType: 'session',
        resourceId: created.sessionId,
        tenantId: null,
        detail: rehashed ? { password_rehashed: true } : {},
      });
      return created;
    });
    return this.pair(user.id, sessionId, refreshToken);
  }

  /**
   * Rotates a refresh token in one transaction (SES-4). The session row is locked first, so of N concurrent
   * refreshes with one token exactly one wins (SES-6). A spent token revokes the whole family and is
   * audited (SES-5): a legitimate client never presents one, so reuse means the token was copied.
   */
  async refresh(ctx: CallContext, refreshToken: string): Promise<TokenPair> {
    const hash = hashToken(refreshToken);
    const outcome = await this.em.transactional(async (tx): Promise<RefreshOutcome> => {
      const sessionId = await this.sessions.sessionIdByTokenHash(tx, hash);
      // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent, every outcome but 'ok' ends in the same INVALID_REFRESH_TOKEN
      if (!sessionId) return { kind: 'invalid' };
      const session = await this.sessions.lock(tx, sessionId);
      const token = await this.sessions.lockTokenByHash(tx, hash);
      // Stryker disable next-line ObjectLiteral,StringLiteral,ConditionalExpression,LogicalOperator: equivalent, see above; and the token row was just found by its hash and its session row references it (cascade), so neither can be missing here, only revoked
      if (!session || !token || session.revoked_at) return { kind: 'invalid' };
      const now = this.clock.now();
      if (token.status !== 'active') {
        await this.revoker.revoke(tx, session.user_id, 'refresh_token_reuse', { sessionIds: [session.id] });
        this.outbox.emit(tx, RefreshTokenReused, { user_id: session.user_id, session_id: session.id });
        this.outbox.audit(tx, asUser(ctx, session.user_id, session.id), {
          action: 'auth.refresh_reuse',
          resourceType: 'session',
          resourceId: session.id,
          tenantId: null,
          outcome: 'failed',
          detail: { family_revoked: true },
        });
        // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent, see above
        return { kind: 'reused' };
      }
      // A token's expiry is min(session end, now + idle TTL) and the session's idle end is set to the same value,
      // so the three checks back each other up: weakening any one alone changes nothing (equivalent mutants).
      // Stryker disable ConditionalExpression,LogicalOperator,EqualityOperator: see the comment above (a block, not next-line: Prettier may wrap it)
      const expired =
        now >= new Date(token.expires_at) ||
        now >= new Date(session.expires_at) ||
        now >= new Date(session.idle_expires_at);
      // Stryker restore ConditionalExpression,LogicalOperator,EqualityOperator
      const user = await this.users.find(tx, session.user_id);
      // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent, every outcome but 'ok' ends in the same INVALID_REFRESH_TOKEN
      if (expired || !user || user.status !== 'active') return { kind: 'invalid' };
      const next = this.nextRefreshToken(tx, session.id, new Date(session.expires_at));
      await this.sessions.rotated(tx, session.id, token.id, now, next.expiresAt);
      return { kind: 'ok', userId: session.user_id, sessionId: session.id, refreshToken: next.token };
    });
    if (outcome.kind !== 'ok') throw invalidRefresh();
    return this.pair(outcome.userId, outcome.sessionId, outcome.refreshToken);
  }

  /** Ends the caller's session, and the session of `refreshToken` when it is the caller's. */
  async logout(ctx: CallContext, refreshToken?: string): Promise<string[]> {
    const principal = requirePrincipal(ctx);
    return this.em.transactional(async (tx) => {
      const ids = principal.sessionId ? [principal.sessionId] : [];
      if (refreshToken) {
        const own = await this.sessions.sessionIdOfUserByTokenHash(tx, principal.userId, hashToken(refreshToken));
        if (own) ids.push(own);
      }
      const revoked = await this.revoker.revoke(tx, principal.userId, 'logout', { sessionIds: [...new Set(ids)] });
      for (const id of revoked)
        this.outbox.audit(tx, ctx, { action: 'auth.logout', resourceType: 'session', resourceId: id, tenantId: null });
      return revoked;
    });
  }

  private async startSession(
    tx: EntityManager,
    userId: string,
    ctx: CallContext,
  ): Promise<{ sessionId: string; refreshToken: string }> {
    const now = this.clock.now();
    const absoluteEnd = new Date(now.getTime() + this.config.LOCKWELL_REFRESH_ABSOLUTE_TTL_SECONDS * 1000);
    const session = this.sessions.add(tx, userId, {
      id: randomUUID(),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: absoluteEnd,
      idleExpiresAt: now,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    });
    // Flushed first: the unit of work does not know refresh_tokens references sessions (no relation mapped).
    await tx.flush();
    const next = this.nextRefreshToken(tx, session.id, absoluteEnd);
    session.idleExpiresAt = next.expiresAt;
    return { sessionId: session.id, refreshToken: next.token };
  }

  /** A new family member, valid for the idle lifetime but never past the session's absolute end (SES-7). */
  private nextRefreshToken(
    tx: EntityManager,
    sessionId: string,
    absoluteEnd: Date,
  ): { token: string; expiresAt: Date } {
    const now = this.clock.now();
    const expiresAt = new Date(
      Math.min(absoluteEnd.getTime(), now.getTime() + this.config.LOCKWELL_REFRESH_IDLE_TTL_SECONDS * 1000),
    );
    const token = generateToken(REFRESH_TOKEN_PREFIX);
    this.sessions.addRefreshToken(tx, sessionId, {
      id: randomUUID(),
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt,
    });
    return { token, expiresAt };
  }

  private async pair(userId: string, sessionId: string, refreshToken: string): Promise<TokenPair> {
    return {
      access_token: await this.issuer.issue(userId, sessionId),
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: this.issuer.ttlSeconds,
    };
  }
}
