import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ErrorCode, IdentitySessionRevokedList, systemContext } from '@lockwell/contracts';
import { LOGGER, LockwellError, RpcClient, type Logger } from '@lockwell/service-kit';
import { CLOCK_SKEW_SECONDS } from './auth.constants.js';

const RETRY_MS = 1_000;

/**
 * Sessions whose access tokens must be refused before they expire (SES-8): filled by SessionsRevoked
 * events as they happen, and from identity's list of recent revocations at start and after every NATS
 * reconnect (events published while we were away are not replayed to core subscribers). Until that list
 * has (re)loaded, JWT authentication fails closed (503).
 */
@Injectable()
export class RevokedSessions implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly revoked = new Map<string, number>();
  private loaded = false;
  private ttlSeconds = 3600;
  private syncing?: Promise<void>;
  private stopped = false;
  private pruneTimer?: NodeJS.Timeout;

  constructor(
    private readonly rpc: RpcClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap() {
    void this.resync();
    this.pruneTimer = setInterval(() => this.prune(), 60_000);
    // Stryker disable next-line CallExpression: equivalent in tests, unref only lets the process exit without waiting for the timer
    this.pruneTimer.unref();
  }

  onApplicationShutdown() {
    this.stopped = true;
    clearInterval(this.pruneTimer);
  }

  /** Whether the list is known to be complete, i.e. JWT authentication works (part of /readyz). */
  get ready(): boolean {
    return this.loaded;
  }

  /** Throws SERVICE_UNAVAILABLE while the list is not known to be complete; true if `sessionId` is revoked. */
  isRevoked(sessionId: string): boolean {
    if (!this.loaded) throw new LockwellError(ErrorCode.SERVICE_UNAVAILABLE, 'Authentication is not available yet');
    return this.revoked.has(sessionId);
  }

  add(sessionIds: string[], revokedAt: Date): void {
    // Keep each entry until every access token of that session has expired.
    const until = revokedAt.getTime() + (this.ttlSeconds + CLOCK_SKEW_SECONDS * 2) * 1000;
    for (const id of sessionIds) this.revoked.set(id, Math.max(until, Date.now() + 5_000));
  }

  /**
   * Reloads recent revocations from identity, retrying until it answers. Until then the list is not known to
   * be complete (after a reconnect, events may have been missed), so JWT authentication answers 503.
   */
  resync(): Promise<void> {
    this.loaded = false;
    this.syncing ??= (async () => {
      while (!this.stopped) {
        try {
          // Stryker disable next-line StringLiteral: the request id only labels the call in logs
          const res = await this.rpc.request(IdentitySessionRevokedList, {}, systemContext('revoked-sessions-sync'));
          this.ttlSeconds = res.access_token_ttl_seconds;
          for (const s of res.sessions) this.add([s.session_id], new Date(s.revoked_at));
          this.loaded = true;
          return;
        } catch (err) {
          this.logger.warn({ err }, 'could not load revoked sessions from identity; retrying');
          await new Promise((r) => setTimeout(r, RETRY_MS));
        }
      }
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
  }
}
