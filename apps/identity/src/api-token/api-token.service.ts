import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ApiTokenRevoked, ErrorCode, type ApiTokenGrant, type CallContext } from '@lockwell/contracts';
import { generateToken, hashToken } from '@lockwell/crypto';
import { CLOCK, hasGlobalPermission, LockwellError, Outbox, requirePrincipal, type Clock } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { IDENTITY_CONFIG } from '../identity.tokens.js';
import type { Config } from '../config.js';
import { UserEntity } from '../user/user.entity.js';
import { ApiTokenEntity } from './api-token.entity.js';
import { permissionsBeyondCreator } from './api-token-permissions.js';

export const API_TOKEN_PREFIX = 'lw_';
// last_used_at is a hint for people, not an audit trail: write it at most this often per token.
const LAST_USED_GRANULARITY_MS = 60_000;

type CreateApiToken = { name: string; tenant_id?: string; permissions: string[]; expires_at?: string };

const notFound = () => new LockwellError(ErrorCode.TOKEN_NOT_FOUND, 'API token not found');

export const toApiTokenView = (t: ApiTokenEntity) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  tenant_id: t.tenantId,
  permissions: t.permissions,
  expires_at: t.expiresAt.toISOString(),
  created_at: t.createdAt.toISOString(),
  last_used_at: t.lastUsedAt?.toISOString() ?? null,
  revoked_at: t.revokedAt?.toISOString() ?? null,
});

/** Machine API tokens: shown once, stored hashed, never more powerful than their creator. */
@Injectable()
export class ApiTokenService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDENTITY_CONFIG) private readonly config: Config,
  ) {}

  async create(ctx: CallContext, body: CreateApiToken) {
    const principal = requirePrincipal(ctx);
    // A token minting tokens would let a leaked credential outlive its own expiry.
    if (principal.kind !== 'user') throw new LockwellError(ErrorCode.FORBIDDEN, 'API tokens cannot create API tokens');
    const tenantId = body.tenant_id ?? null;
    if (tenantId && !principal.memberships.some((m) => m.tenantId === tenantId)) throw new LockwellError(ErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
    const beyond = permissionsBeyondCreator(principal, body.permissions, tenantId);
    if (beyond.length) {
      throw new LockwellError(ErrorCode.FORBIDDEN, 'A token cannot have permissions its creator does not hold', beyond.map((p) => ({ field: 'permissions', issue: `not held by you: ${p}` })));
    }
    const now = this.clock.now();
    const expiresAt = body.expires_at ? new Date(body.expires_at) : new Date(now.getTime() + this.config.LOCKWELL_API_TOKEN_DEFAULT_TTL_SECONDS * 1000);
    const latest = now.getTime() + this.config.LOCKWELL_API_TOKEN_MAX_TTL_SECONDS * 1000;
    if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() > latest) {
      throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
        { field: 'expires_at', issue: `must be in the future and at most ${this.config.LOCKWELL_API_TOKEN_MAX_TTL_SECONDS} seconds from now` },
      ]);
    }
    const token = generateToken(API_TOKEN_PREFIX);
    return this.em.transactional(async (tx) => {
      const entity = tx.create(ApiTokenEntity, {
        id: randomUUID(),
        userId: principal.userId,
        name: body.name,
        prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
        tokenHash: hashToken(token),
        tenantId,
        permissions: [...new Set(body.permissions)].sort(),
        expiresAt,
        createdAt: now,
      });
      tx.persist(entity);
      this.outbox.audit(tx, ctx, {
        action: 'api_token.create',
        resourceType: 'api_token',
        resourceId: entity.id,
        tenantId,
        detail: { name: entity.name, permissions: entity.permissions, expires_at: expiresAt.toISOString() },
      });
      return { ...toApiTokenView(entity), token };
    });
  }

  async list(ctx: CallContext) {
    const principal = requirePrincipal(ctx);
    const tokens = await this.em.find(ApiTokenEntity, { userId: principal.userId, revokedAt: null }, { orderBy: { createdAt: 'desc' } });
    return tokens.map(toApiTokenView);
  }

  async get(ctx: CallContext, tokenId: string) {
    return toApiTokenView(await this.findVisible(this.em, ctx, tokenId));
  }

  /** The owner, or an administrator, revokes a token; gateways drop it from their caches. */
  async revoke(ctx: CallContext, tokenId: string): Promise<void> {
    await this.em.transactional(async (tx) => {
      const token = await this.findVisible(tx, ctx, tokenId);
      if (token.revokedAt) return;
      token.revokedAt = this.clock.now();
      this.outbox.emit(tx, ApiTokenRevoked, { token_id: token.id, user_id: token.userId });
      this.outbox.audit(tx, ctx, { action: 'api_token.revoke', resourceType: 'api_token', resourceId: token.id, tenantId: token.tenantId, detail: { name: token.name } });
    });
  }

  /** What a presented token grants, or null (unknown, expired, revoked, owner disabled). */
  async verify(tokenHash: string): Promise<ApiTokenGrant | null> {
    const now = this.clock.now();
    const token = await this.em.findOne(ApiTokenEntity, { tokenHash, revokedAt: null, expiresAt: { $gt: now } });
    if (!token) return null;
    const owner = await this.em.findOne(UserEntity, { id: token.userId });
    if (!owner || owner.status !== 'active') return null;
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
      await this.em.nativeUpdate(ApiTokenEntity, { id: token.id }, { lastUsedAt: now });
    }
    return { token_id: token.id, user_id: token.userId, tenant_id: token.tenantId, permissions: token.permissions, expires_at: token.expiresAt.toISOString() };
  }

  private async findVisible(em: EntityManager, ctx: CallContext, tokenId: string): Promise<ApiTokenEntity> {
    const principal = requirePrincipal(ctx);
    const token = await em.findOne(ApiTokenEntity, { id: tokenId });
    if (!token || (token.userId !== principal.userId && !hasGlobalPermission(principal, 'users:manage'))) throw notFound();
    return token;
  }
}
