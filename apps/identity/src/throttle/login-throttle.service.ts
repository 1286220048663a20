import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode } from '@lockwell/contracts';
import { CLOCK, type Clock, LockwellError, SERVICE_CONFIG } from '@lockwell/service-kit';
import type { Config } from '../config.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';

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

/** What one attempt's reservation did to the IP key, so a correct password can give it back. */
export interface Reservation {
  ipLockedUntil: Date | null;
}

/**
 * Login throttling per account and per client IP (PW-4), kept in PostgreSQL so every replica shares it.
 * Each attempt is counted *before* its password is verified, in a short transaction that locks the two rows:
 * concurrent attempts serialise on those rows, the one that reaches a threshold locks the key, and every
 * attempt arriving while a key is locked is refused without an argon2 verification and without being counted.
 * So a burst gets at most `threshold` guesses per window, however many arrive at once. From the threshold
 * on, each further attempt doubles the lockout. A correct password clears the account's count and gives its
 * attempt back to the IP (offices behind one address are not locked out by their own successful logins).
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly rows: LoginThrottleRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
  ) {}

  private keys(s: ThrottleSubject): { key: string; threshold: number }[] {
    const keys = [{ key: `account:${s.account}`, threshold: this.config.LOCKWELL_LOGIN_MAX_FAILURES_PER_ACCOUNT }];
    if (s.ip) keys.push({ key: `ip:${s.ip}`, threshold: this.config.LOCKWELL_LOGIN_MAX_FAILURES_PER_IP });
    return keys.sort((a, b) => a.key.localeCompare(b.key)); // one lock order everywhere: no deadlocks
  }

  /** Counts one attempt for the account and the IP, or throws RATE_LIMITED (with the wait) while either is locked. */
  async reserve(em: EntityManager, s: ThrottleSubject): Promise<Reservation> {
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - this.config.LOCKWELL_LOGIN_FAILURE_WINDOW_SECONDS * 1000);
    const keys = this.keys(s);
    return em.fork().transactional(async (tx) => {
      // Every attempt from one address queues on the address's row until this commits: not waiting for the WAL
      // flush keeps that queue short under a burst. A crash can forget the last few counts, never invent one.
      await tx.execute('set local synchronous_commit = off');
      const rows = await this.rows.lock(
        tx,
        keys.map((k) => k.key),
        now,
      );
      const waitMs = Math.max(
        0,
        ...rows.map((r) => (r.locked_until ? new Date(r.locked_until).getTime() - now.getTime() : 0)),
      );
      if (waitMs > 0) throw rateLimited(Math.ceil(waitMs / 1000));
      let ipLockedUntil: Date | null = null;
      for (const { key, threshold } of keys) {
        const row = rows.find((r) => r.key === key)!;
        // Not locked now (checked above): counts older than the window are forgotten.
        const fresh = new Date(row.window_started_at) < windowStart;
        const failures = fresh ? 1 : row.failures + 1;
        const lock = lockoutSeconds(
          failures,
          threshold,
          this.config.LOCKWELL_LOGIN_LOCKOUT_BASE_SECONDS,
          this.config.LOCKWELL_LOGIN_LOCKOUT_MAX_SECONDS,
        );
        const lockedUntil = lock > 0 ? new Date(now.getTime() + lock * 1000) : null;
        await this.rows.set(tx, key, failures, fresh ? now : row.window_started_at, lockedUntil);
        if (key.startsWith('ip:')) ipLockedUntil = lockedUntil;
      }
      return { ipLockedUntil };
    });
  }

  /** The password was right: the account starts afresh, and the IP gets its attempt back (and any lock it set). */
  async succeeded(em: EntityManager, s: ThrottleSubject, reservation: Reservation): Promise<void> {
    await this.rows.clear(em, `account:${s.account}`);
    if (!s.ip) return;
    await this.rows.giveBack(
      em,
      `ip:${s.ip}`,
      reservation.ipLockedUntil,
      this.config.LOCKWELL_LOGIN_MAX_FAILURES_PER_IP,
    );
  }
}

/** RATE_LIMITED carrying the wait in `details`, from which the gateway sets Retry-After. */
export function rateLimited(retryAfterSeconds: number): LockwellError {
  return new LockwellError(ErrorCode.RATE_LIMITED, 'Too many failed attempts; try again later', [
    { field: 'retry_after_seconds', issue: String(retryAfterSeconds) },
  ]);
}
