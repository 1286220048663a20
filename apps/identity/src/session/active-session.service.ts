import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, type CallContext, type Principal } from '@lockwell/contracts';
import {
  CLOCK,
  hasGlobalPermission,
  LockwellError,
  Outbox,
  requirePrincipal,
  SERVICE_CONFIG,
  type Clock,
} from '@lockwell/service-kit';
import type { Config } from '../config.js';
import { CLOCK_SKEW_SECONDS } from '../signing-key/signing-key.service.js';
import { SessionRevoker } from './session-revoker.js';
import { SessionRepository } from './session.repository.js';

/** Listing and revoking active sessions (SES-9), and the recent revocations gateways replay (SES-8). */
@Injectable()
export class ActiveSessionService {
  constructor(
    private readonly em: EntityManager,
    private readonly sessions: SessionRepository,
    private readonly outbox: Outbox,
    private readonly revoker: SessionRevoker,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
  ) {}

  async list(ctx: CallContext) {
    const principal = requirePrincipal(ctx);
    refuseApiToken(principal);
    const sessions = await this.sessions.activeOf(this.em, principal.userId, this.clock.now());
    return sessions.map((s) => ({
      id: s.id,
      created_at: s.createdAt.toISOString(),
      last_used_at: s.lastUsedAt.toISOString(),
      expires_at: s.idleExpiresAt.toISOString(),
      ip: s.ip,
      user_agent: s.userAgent,
      current: s.id === principal.sessionId,
    }));
  }

  /** The owner revokes one of their sessions; an administrator may revoke anyone's. Others: not found. */
  async revoke(ctx: CallContext, sessionId: string): Promise<void> {
    const principal = requirePrincipal(ctx);
    if (!hasGlobalPermission(principal, 'users:manage')) refuseApiToken(principal);
    await this.em.transactional(async (tx) => {
      const session = await this.sessions.anyUsersSession(tx, sessionId);
      if (!session || (session.userId !== principal.userId && !hasGlobalPermission(principal, 'users:manage'))) {
        throw new LockwellError(ErrorCode.SESSION_NOT_FOUND, 'Session not found');
      }
      const revoked = await this.revoker.revoke(tx, session.userId, 'revoked', { sessionIds: [session.id] });
      if (revoked.length)
        this.outbox.audit(tx, ctx, {
          action: 'session.revoke',
          resourceType: 'session',
          resourceId: session.id,
          tenantId: null,
          detail: { user_id: session.userId },
        });
    });
  }

  /** Sessions revoked so recently that access tokens of theirs may not have expired yet. */
  async recentlyRevoked() {
    const ttl = this.config.LOCKWELL_ACCESS_TOKEN_TTL_SECONDS;
    const since = new Date(this.clock.now().getTime() - (ttl + CLOCK_SKEW_SECONDS * 2) * 1000);
    const rows = await this.sessions.revokedSince(this.em, since);
    return {
      sessions: rows.map((s) => ({ session_id: s.id, user_id: s.userId, revoked_at: s.revokedAt!.toISOString() })),
      access_token_ttl_seconds: ttl,
    };
  }
}

/**
 * Sign-in sessions are the owner's browsers and devices (with their addresses): an API token, a machine's
 * credential, neither sees nor ends them, so a leaked read-only token cannot sign its owner out. An installation
 * admin's token that carries users:manage still reaches every session, as its permission says.
 */
function refuseApiToken(principal: Principal): void {
  if (principal.kind === 'api_token')
    throw new LockwellError(ErrorCode.FORBIDDEN, 'API tokens cannot see or end sign-in sessions');
}
