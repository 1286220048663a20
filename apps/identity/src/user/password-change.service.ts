import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, PasswordChanged, UserChanged, type CallContext } from '@lockwell/contracts';
import { CLOCK, LockwellError, Outbox, requirePrincipal, type Clock } from '@lockwell/service-kit';
import { PASSWORD_HASHER, type PasswordHasher } from '../password/password-hasher.js';
import { assertPasswordAcceptable } from '../password/password-policy.js';
import { SessionRevoker } from '../session/session-revoker.js';
import { LoginThrottleService } from '../throttle/login-throttle.service.js';
import { userNotFound } from './user.service.js';
import { UserRepository } from './user.repository.js';

/**
 * The caller changes their own password: the current one is required (each try counts towards the login
 * throttle before it is checked), the new one must pass the policy, and every other session of theirs ends.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UserRepository,
    private readonly throttle: LoginThrottleService,
    private readonly revoker: SessionRevoker,
    private readonly outbox: Outbox,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async change(ctx: CallContext, body: { current_password: string; new_password: string }): Promise<number> {
    const principal = requirePrincipal(ctx);
    if (principal.kind !== 'user') throw new LockwellError(ErrorCode.FORBIDDEN, 'API tokens cannot change passwords');
    const user = await this.users.withPasswordHash(this.em, principal.userId);
    if (!user) throw userNotFound();
    const subject = { account: user.email, ip: ctx.ip };
    const reservation = await this.throttle.reserve(this.em, subject);
    if (!(await this.hasher.verify(user.passwordHash, body.current_password))) {
      await this.em.transactional(async (tx) => {
        this.outbox.audit(tx, ctx, {
          action: 'user.password_change',
          resourceType: 'user',
          resourceId: user.id,
          tenantId: null,
          outcome: 'failed',
          detail: { reason: 'wrong_current_password' },
        });
      });
      throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
        { field: 'current_password', issue: 'is not correct' },
      ]);
    }
    // The right current password settles the attempt, whatever becomes of the new one.
    await this.throttle.succeeded(this.em, subject, reservation);
    assertPasswordAcceptable(body.new_password, 'new_password', { email: user.email });
    const passwordHash = await this.hasher.hash(body.new_password);
    return this.em.transactional(async (tx) => {
      const fresh = await this.users.find(tx, user.id);
      if (!fresh) throw userNotFound();
      fresh.passwordHash = passwordHash;
      fresh.updatedAt = this.clock.now();
      const revoked = await this.revoker.revoke(tx, user.id, 'password_changed', {
        exceptSessionId: principal.sessionId,
      });
      this.outbox.emit(tx, UserChanged, { user_id: user.id });
      this.outbox.emit(tx, PasswordChanged, { user_id: user.id, revoked_sessions: revoked.length });
      this.outbox.audit(tx, ctx, {
        action: 'user.password_change',
        resourceType: 'user',
        resourceId: user.id,
        tenantId: null,
        detail: { revoked_sessions: revoked.length },
      });
      return revoked.length;
    });
  }
}
