import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { systemContext } from '@lockwell/contracts';
import { CLOCK, type Clock } from '@lockwell/service-kit';
import { AuthorizationRequestRepository } from '../authorization/authorization-request.repository.js';
import { CONNECTORS_SETTINGS, type ConnectorsSettings } from '../connectors-settings.js';
import { ConnectionRepository } from '../connection/connection.repository.js';
import { Refresher } from './refresher.js';

const BATCH = 20;
// A claimed connection is skipped by other replicas this long; a successful refresh sets its real next time.
const CLAIM_LEASE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Proactive refresh (OC-5): every LOCKWELL_CONNECTORS_REFRESH_INTERVAL_MS each replica claims the connections
 * whose `next_refresh_at` (about 80% of the token's life, with jitter, or a backoff time after a transient
 * failure) has come, with FOR UPDATE SKIP LOCKED so replicas never claim the same one, and refreshes them
 * through the same single-flight path as hand-outs. Callers thus almost never wait on a refresh.
 */
@Injectable()
export class RefreshScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RefreshScheduler');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly orm: MikroORM,
    private readonly refresher: Refresher,
    private readonly connections: ConnectionRepository,
    private readonly requests: AuthorizationRequestRepository,
    @Inject(CONNECTORS_SETTINGS) private readonly settings: ConnectorsSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap() {
    if (!this.settings.refreshIntervalMs) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((err) => this.logger.warn(`refresh pass failed: ${(err as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.settings.refreshIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown() {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass: refreshes what is due (returns how many were claimed) and forgets day-old authorisation requests. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    const em = this.orm.em.fork() as EntityManager;
    const due = await em.transactional((tx) => this.connections.claimDue(tx, now, CLAIM_LEASE_MS, BATCH));
    for (const conn of due) {
      await this.refresher
        .refresh(conn, systemContext(`refresh-scheduler-${conn.id}`), 'scheduled', Date.now())
        .catch((err: unknown) => {
          this.logger.warn(`scheduled refresh of connection ${conn.id} failed: ${(err as Error).message}`);
        });
    }
    await em.transactional((tx) => this.requests.purgeOld(tx, new Date(now.getTime() - DAY_MS)));
    return due.length;
  }
}
