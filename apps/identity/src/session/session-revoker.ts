import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SessionsRevoked } from '@lockwell/contracts';
import { CLOCK, Outbox, type Clock } from '@lockwell/service-kit';
import { SessionRepository } from './session.repository.js';

/**
 * Ends sessions: marks them revoked, revokes their refresh-token families and emits SessionsRevoked in the
 * caller's transaction, so gateways drop their access tokens (SES-8). Returns the ids actually revoked.
 */
@Injectable()
export class SessionRevoker {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async revoke(
    tx: EntityManager,
    userId: string,
    reason: string,
    which: { sessionIds?: string[]; exceptSessionId?: string | null },
  ): Promise<string[]> {
    const now = this.clock.now();
    const ids = await this.sessions.revoke(tx, userId, reason, now, which);
    if (!ids.length) return [];
    this.outbox.emit(tx, SessionsRevoked, { user_id: userId, session_ids: ids, revoked_at: now.toISOString() });
    return ids;
  }
}
