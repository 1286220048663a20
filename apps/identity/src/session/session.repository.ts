import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { SessionEntity } from './session.entity.js';

/** A session row as the refresh rotation reads it under its lock. */
export interface LockedSession {
  id: string;
  user_id: string;
  revoked_at: Date | null;
  expires_at: Date;
  idle_expires_at: Date;
}

/** A refresh-token row as the rotation reads it under its lock. */
export interface LockedRefreshToken {
  id: string;
  status: string;
  expires_at: Date;
}

/**
 * `sessions` and their refresh-token families (`refresh_tokens`): one aggregate, the session its root. A
 * user's sessions are looked up by the user first; the exceptions say why in their names: a presented refresh
 * token (`...ByTokenHash`: the credential is the only key a client has), an administrator acting on anyone's
 * session (`anyUsersSession`), the gateways' installation-wide replay of recent revocations.
 */
@Injectable()
export class SessionRepository {
  add(
    em: EntityManager,
    userId: string,
    session: Omit<SessionEntity, 'userId' | 'revokedAt' | 'revokeReason'>,
  ): SessionEntity {
    const entity = em.create(SessionEntity, { ...session, userId });
    em.persist(entity);
    return entity;
  }

  addRefreshToken(
    em: EntityManager,
    sessionId: string,
    token: Pick<RefreshTokenEntity, 'id' | 'tokenHash' | 'createdAt' | 'expiresAt'>,
  ): void {
    em.persist(em.create(RefreshTokenEntity, { ...token, sessionId, status: 'active' }));
  }

  // --- refresh-token rotation (SES-4..SES-6) and revocation; under mutation testing (stryker.config.mjs) ---

  /** The session a refresh token belongs to (whatever the token's state), without locking. */
  async sessionIdByTokenHash(em: EntityManager, tokenHash: string): Promise<string | undefined> {
    const [found] = await em.execute<{ session_id: string }[]>(
      `select session_id from refresh_tokens where token_hash = ?`,
      [tokenHash],
    );
    return found?.session_id;
  }

  /** The session, locked until commit: concurrent refreshes of one family serialise here. */
  async lock(em: EntityManager, sessionId: string): Promise<LockedSession | undefined> {
    const [session] = await em.execute<LockedSession[]>(
      `select id, user_id, revoked_at, expires_at, idle_expires_at from sessions where id = ? for update`,
      [sessionId],
    );
    return session;
  }

  /** The refresh token, locked until commit (its session is locked first). */
  async lockTokenByHash(em: EntityManager, tokenHash: string): Promise<LockedRefreshToken | undefined> {
    const [token] = await em.execute<LockedRefreshToken[]>(
      `select id, status, expires_at from refresh_tokens where token_hash = ? for update`,
      [tokenHash],
    );
    return token;
  }

  /** Spends a refresh token and slides its session's idle end to the next token's expiry. */
  async rotated(
    em: EntityManager,
    sessionId: string,
    spentTokenId: string,
    now: Date,
    idleExpiresAt: Date,
  ): Promise<void> {
    await em.execute(`update refresh_tokens set status = 'used', used_at = ? where id = ?`, [now, spentTokenId]);
    await em.execute(`update sessions set last_used_at = ?, idle_expires_at = ? where id = ?`, [
      now,
      idleExpiresAt,
      sessionId,
    ]);
  }

  /**
   * Revokes `userId`'s sessions (`sessionIds`, or all; never `exceptSessionId`) that are not revoked yet, and
   * their refresh-token families. Returns the ids it revoked.
   */
  async revoke(
    em: EntityManager,
    userId: string,
    reason: string,
    now: Date,
    which: { sessionIds?: string[]; exceptSessionId?: string | null },
  ): Promise<string[]> {
    const params: unknown[] = [now, reason, userId];
    let filter = '';
    if (which.sessionIds) {
      if (!which.sessionIds.length) return [];
      filter += ' and id in (?)';
      params.push(which.sessionIds);
    }
    if (which.exceptSessionId) {
      filter += ' and id <> ?';
      params.push(which.exceptSessionId);
    }
    const rows = await em.execute<{ id: string }[]>(
      `update sessions set revoked_at = ?, revoke_reason = ? where user_id = ? and revoked_at is null${filter} returning id`,
      params,
    );
    const ids = rows.map((r) => r.id);
    if (!ids.length) return [];
    await em.execute(`update refresh_tokens set status = 'revoked' where session_id in (?) and status = 'active'`, [
      ids,
    ]);
    return ids;
  }

  // --- end of the code under mutation testing ---

  /** The session of `userId` that `tokenHash` belongs to, if any. */
  async sessionIdOfUserByTokenHash(em: EntityManager, userId: string, tokenHash: string): Promise<string | undefined> {
    const [row] = await em.execute<{ session_id: string }[]>(
      `select t.session_id from refresh_tokens t join sessions s on s.id = t.session_id where s.user_id = ? and t.token_hash = ?`,
      [userId, tokenHash],
    );
    return row?.session_id;
  }

  /** `userId`'s sessions still usable at `now`, newest first. */
  activeOf(em: EntityManager, userId: string, now: Date): Promise<SessionEntity[]> {
    return em.find(
      SessionEntity,
      { userId, revokedAt: null, expiresAt: { $gt: now }, idleExpiresAt: { $gt: now } },
      { orderBy: { createdAt: 'desc' } },
    );
  }

  /** Any user's session by id: only for callers that authorise administrators (users:manage) themselves. */
  anyUsersSession(em: EntityManager, sessionId: string): Promise<SessionEntity | null> {
    return em.findOne(SessionEntity, { id: sessionId });
  }

  /** Every session revoked since `since` (installation-wide: gateways replay them at start). */
  revokedSince(em: EntityManager, since: Date): Promise<Pick<SessionEntity, 'id' | 'userId' | 'revokedAt'>[]> {
    return em.find(SessionEntity, { revokedAt: { $gte: since } }, { fields: ['id', 'userId', 'revokedAt'] });
  }
}
