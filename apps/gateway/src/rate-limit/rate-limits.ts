import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type Principal } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import { GATEWAY_CONFIG, type Config } from '../config.js';
import { RateLimiter, type RateDecision } from './rate-limiter.js';

/**
 * The gateway's request budgets (API-2): one per client address on every route (the address fastify
 * resolved, which believes X-Forwarded-For only from LOCKWELL_TRUSTED_PROXIES), one per user on every
 * authenticated route (a user's sessions and API tokens share it, so minting tokens does not multiply it).
 * Per replica: with N gateway replicas behind a balancer, a client can get up to N times the budget.
 */
@Injectable()
export class RateLimits {
  private readonly perIp: RateLimiter;
  private readonly perIdentity: RateLimiter;

  constructor(@Inject(GATEWAY_CONFIG) config: Config) {
    const windowMs = config.LOCKWELL_RATE_LIMIT_WINDOW_SECONDS * 1000;
    this.perIp = new RateLimiter(config.LOCKWELL_RATE_LIMIT_PER_IP, windowMs);
    this.perIdentity = new RateLimiter(config.LOCKWELL_RATE_LIMIT_PER_IDENTITY, windowMs);
  }

  forAddress(ip: string): RateDecision {
    return this.perIp.take(`ip:${ip}`, Date.now());
  }

  /** Throws RATE_LIMITED (the wait in its details, sent as Retry-After) when the caller's budget is spent. */
  assertIdentityWithinLimit(principal: Principal): void {
    const decision = this.perIdentity.take(`user:${principal.userId}`, Date.now());
    if (!decision.allowed) throw rateLimited('Too many requests for this account', decision.retryAfterSeconds);
  }
}

export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new LockwellError(ErrorCode.RATE_LIMITED, message, [
    { field: 'retry_after_seconds', issue: String(retryAfterSeconds) },
  ]);
