import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SessionsRevoked } from '@lockwell/contracts';
import { CLOCK, Outbox, type Clock } from '@lockwell/service-kit';

/**
 * Ends sessions: marks them revoked, revokes their refresh-token families and emits SessionsRevoked in the
 * caller's transaction, so gateways drop their access tokens (SES-8). Returns the ids actually revoked.
 */
@Injectable()
export class SessionRevoker {
  constructor(
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async revoke(tx: EntityManager, userId: string, reason: string, which: { sessionIds?: string[]; exceptSessionId?: string | null }): Promise<string[]> {
    const now = this.clock.now();
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
    const rows = await tx.execute<{ id: string }[]>(
      `update sessions set revoked_at = ?, revoke_reason = ? where user_id = ? and revoked_at is null${filter} returning id`,
      params,
    );
    const ids = rows.map((r) => r.id);
    if (!ids.length) return [];
    await tx.execute(`update refresh_tokens set status = 'revoked' where session_id in (?) and status = 'active'`, [ids]);
    this.outbox.emit(tx, SessionsRevoked, { user_id: userId, session_ids: ids, revoked_at: now.toISOString() });
    return ids;
  }
}
