import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ApiTokenCreated, ApiTokenRevoked, ErrorCode, type ApiTokenGrant, type CallContext } from '@lockwell/contracts';
import { generateToken, hashToken } from '@lockwell/crypto';
import {
  CLOCK,
  type Clock,
  hasGlobalPermission,
  LockwellError,
  Outbox,
  requirePrincipal,
  SERVICE_CONFIG,
} from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { ApiTokenEntity } from './api-token.entity.js';
import { ApiTokenRepository } from './api-token.repository.js';
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
    private readonly tokens: ApiTokenRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
  ) {}

  async create(ctx: CallContext, body: CreateApiToken) {
    const principal = requirePrincipal(ctx);
    // A token minting tokens would let a leaked credential outlive its own expiry.
    if (principal.kind !== 'user') throw new LockwellError(ErrorCode.FORBIDDEN, 'API tokens cannot create API tokens');
    const tenantId = body.tenant_id ?? null;
    if (tenantId && !principal.memberships.some((m) => m.tenantId === tenantId))
      throw new LockwellError(ErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
    const beyond = permissionsBeyondCreator(principal, body.permissions, tenantId);
    if (beyond.length) {
      throw new LockwellError(
        ErrorCode.FORBIDDEN,
        'A token cannot have permissions its creator does not hold',
        beyond.map((p) => ({ field: 'permissions', issue: `not held by you: ${p}` })),
      );
    }
    const now = this.clock.now();
    const expiresAt = body.expires_at
      ? new Date(body.expires_at)
      : new Date(now.getTime() + this.config.LOCKWELL_API_TOKEN_DEFAULT_TTL_SECONDS * 1000);
    const latest = now.getTime() + this.config.LOCKWELL_API_TOKEN_MAX_TTL_SECONDS * 1000;
    if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() > latest) {
      throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
        {
          field: 'expires_at',
          issue: `must be in the future and at most ${this.config.LOCKWELL_API_TOKEN_MAX_TTL_SECONDS} seconds from now`,
        },
      ]);
    }
    const token = generateToken(API_TOKEN_PREFIX);
    return this.em.transactional(async (tx) => {
      const entity = this.tokens.add(tx, principal.userId, {
        id: randomUUID(),
        name: body.name,
        prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
        tokenHash: hashToken(token),
        tenantId,
        permissions: [...new Set(body.permissions)].sort(),
        expiresAt,
        createdAt: now,
      });
      this.outbox.emit(
        tx,
        ApiTokenCreated,
        {
          token_id: entity.id,
          user_id: principal.userId,
          tenant_id: tenantId,
          name: entity.name,
          expires_at: expiresAt.toISOString(),
        },
        tenantId,
      );
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

  /** The caller's active tokens; an API token sees only itself (see findVisible). */
  async list(ctx: CallContext) {
    const principal = requirePrincipal(ctx);
    const tokens = await this.tokens.activeOf(this.em, principal.userId);
    const visible = principal.kind === 'api_token' ? tokens.filter((t) => t.id === principal.tokenId) : tokens;
    return visible.map(toApiTokenView);
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
      this.outbox.audit(tx, ctx, {
        action: 'api_token.revoke',
        resourceType: 'api_token',
        resourceId: token.id,
        tenantId: token.tenantId,
        detail: { name: token.name },
      });
    });
  }

  /**
   * A user is being deleted (their token rows go with them, ON DELETE CASCADE): queues ApiTokenRevoked for each
   * of their active tokens in the caller's transaction, so gateways drop them at once. Returns how many.
   */
  async revokedWithUser(tx: EntityManager, userId: string): Promise<number> {
    const tokens = await this.tokens.activeOf(tx, userId);
    for (const token of tokens) this.outbox.emit(tx, ApiTokenRevoked, { token_id: token.id, user_id: userId });
    return tokens.length;
  }

  /** What a presented token grants, or null (unknown, expired, revoked, owner disabled). */
  async verify(tokenHash: string): Promise<ApiTokenGrant | null> {
    const now = this.clock.now();
    const token = await this.tokens.usableByHash(this.em, tokenHash, now);
    if (!token) return null;
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
      await this.tokens.touch(this.em, token.id, now);
    }
    return {
      token_id: token.id,
      user_id: token.userId,
      tenant_id: token.tenantId,
      permissions: token.permissions,
      expires_at: token.expiresAt.toISOString(),
    };
  }

  private async findVisible(em: EntityManager, ctx: CallContext, tokenId: string): Promise<ApiTokenEntity> {
    const principal = requirePrincipal(ctx);
    const token = await this.tokens.anyUsersToken(em, tokenId);
    const admin = hasGlobalPermission(principal, 'users:manage');
    if (!token || (token.userId !== principal.userId && !admin)) throw notFound();
    // An API token may look at and revoke itself (a job cleaning up after itself), not its owner's other tokens:
    // a leaked read-only token must not be able to cut off every other machine of its owner.
    if (principal.kind === 'api_token' && token.id !== principal.tokenId && !admin)
      throw new LockwellError(
        ErrorCode.FORBIDDEN,
        "An API token may see or revoke only itself, not its owner's other tokens",
      );
    return token;
  }
}
