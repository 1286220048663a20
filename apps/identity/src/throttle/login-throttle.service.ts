import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode } from '@lockwell/contracts';
import { CLOCK, LockwellError, type Clock } from '@lockwell/service-kit';
import { IDENTITY_CONFIG } from '../identity.tokens.js';
import type { Config } from '../config.js';

export interface ThrottleSubject {
  /** The normalised email tried (known or not, so a lockout reveals nothing about existence). */
  account: string;
  /** The client address as the gateway resolved it (X-Forwarded-For only from trusted proxies). */
  ip: string | null;
}

/** How long a key stays locked after `failures` failures, given its threshold: exponential, capped. */
export function lockoutSeconds(failures: number, threshold: number, baseSeconds: number, maxSeconds: number): number {
  if (failures < threshold) return 0;
  return Math.min(maxSeconds, baseSeconds * 2 ** Math.min(failures - threshold, 30));
}

/**
 * Login throttling per account and per client IP (PW-4), kept in PostgreSQL so every replica shares it.
 * Failures count within a window; from the threshold on, each further failure doubles the lockout.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDENTITY_CONFIG) private readonly config: Config,
  ) {}

  private keys(s: ThrottleSubject): { key: string; threshold: number }[] {
    const keys = [{ key: `account:${s.account}`, threshold: this.config.LOCKWELL_LOGIN_MAX_FAILURES_PER_ACCOUNT }];
    if (s.ip) keys.push({ key: `ip:${s.ip}`, threshold: this.config.LOCKWELL_LOGIN_MAX_FAILURES_PER_IP });
    return keys;
  }

  /** Throws RATE_LIMITED (with the seconds to wait) while the account or the IP is locked out. */
  async assertNotLocked(em: EntityManager, s: ThrottleSubject): Promise<void> {
    const rows = await em.execute<{ locked_until: Date | null }[]>(`select locked_until from login_throttle where key in (?)`, [this.keys(s).map((k) => k.key)]);
    const now = this.clock.now().getTime();
    const waitMs = Math.max(0, ...rows.map((r) => (r.locked_until ? new Date(r.locked_until).getTime() - now : 0)));
    if (waitMs > 0) throw rateLimited(Math.ceil(waitMs / 1000));
  }

  /** Counts one failure for the account and the IP (atomic upserts, safe under concurrency). */
  async recordFailure(em: EntityManager, s: ThrottleSubject): Promise<void> {
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - this.config.LOCKWELL_LOGIN_FAILURE_WINDOW_SECONDS * 1000);
    for (const { key, threshold } of this.keys(s)) {
      const [row] = await em.execute<{ failures: number }[]>(
        `insert into login_throttle (key, failures, window_started_at, locked_until) values (?, 1, ?, null)
         on conflict (key) do update set
           failures = case when login_throttle.window_started_at < ? and coalesce(login_throttle.locked_until, login_throttle.window_started_at) < ? then 1 else login_throttle.failures + 1 end,
           window_started_at = case when login_throttle.window_started_at < ? and coalesce(login_throttle.locked_until, login_throttle.window_started_at) < ? then excluded.window_started_at else login_throttle.window_started_at end
         returning failures`,
        [key, now, windowStart, now, windowStart, now],
      );
      const lock = lockoutSeconds(row!.failures, threshold, this.config.LOCKWELL_LOGIN_LOCKOUT_BASE_SECONDS, this.config.LOCKWELL_LOGIN_LOCKOUT_MAX_SECONDS);
      if (lock > 0) await em.execute(`update login_throttle set locked_until = ? where key = ?`, [new Date(now.getTime() + lock * 1000), key]);
    }
  }

  /** A correct password clears the account's count (the IP's decays with its window). */
  async recordSuccess(em: EntityManager, s: ThrottleSubject): Promise<void> {
    await em.execute(`delete from login_throttle where key = ?`, [`account:${s.account}`]);
  }
}

/** RATE_LIMITED carrying the wait in `details`, from which the gateway sets Retry-After. */
export function rateLimited(retryAfterSeconds: number): LockwellError {
  return new LockwellError(ErrorCode.RATE_LIMITED, 'Too many failed attempts; try again later', [{ field: 'retry_after_seconds', issue: String(retryAfterSeconds) }]);
}
