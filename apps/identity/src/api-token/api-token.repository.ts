import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiTokenEntity } from './api-token.entity.js';

/**
 * The `api_tokens` table. A user's tokens are looked up by the user first; the exceptions say why in their
 * names: a presented token (`...ByHash`: the credential is the only key a machine has) and an administrator
 * acting on anyone's token (`anyUsersToken`).
 */
@Injectable()
export class ApiTokenRepository {
  add(
    em: EntityManager,
    userId: string,
    token: Omit<ApiTokenEntity, 'userId' | 'lastUsedAt' | 'revokedAt'>,
  ): ApiTokenEntity {
    const entity = em.create(ApiTokenEntity, { ...token, userId });
    em.persist(entity);
    return entity;
  }

  /** `userId`'s tokens not revoked, newest first. */
  activeOf(em: EntityManager, userId: string): Promise<ApiTokenEntity[]> {
    return em.find(ApiTokenEntity, { userId, revokedAt: null }, { orderBy: { createdAt: 'desc' } });
  }

  /** Any user's token by id: only for callers that authorise administrators (users:manage) themselves. */
  anyUsersToken(em: EntityManager, tokenId: string): Promise<ApiTokenEntity | null> {
    return em.findOne(ApiTokenEntity, { id: tokenId });
  }

  /** The token with this hash if it is usable at `now`: not revoked, not expired, its owner active. */
  async usableByHash(em: EntityManager, tokenHash: string, now: Date): Promise<ApiTokenEntity | null> {
    const token = await em.findOne(ApiTokenEntity, { tokenHash, revokedAt: null, expiresAt: { $gt: now } });
    if (!token) return null;
    const [owner] = await em.execute<{ status: string }[]>(`select status from users where id = ?`, [token.userId]);
    return owner?.status === 'active' ? token : null;
  }

  async touch(em: EntityManager, tokenId: string, now: Date): Promise<void> {
    await em.nativeUpdate(ApiTokenEntity, { id: tokenId }, { lastUsedAt: now });
  }
}
