import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CLOCK, SERVICE_CONFIG, type Clock } from '@lockwell/service-kit';
import type { Config } from '../config.js';
import { PeriodicJob } from '../job/periodic-job.js';
import { backoffMs } from './delivery.js';
import { DeliveryRepository } from './delivery.repository.js';
import { EmailDelivery } from './email-delivery.js';
import { WebhookDelivery } from './webhook-delivery.js';

const BATCH = 20;
const LEASE_MS = 120_000;

/**
 * Attempts due deliveries (email and webhooks) every LOCKWELL_DELIVERY_POLL_MS. Each is claimed with a lease,
 * so replicas never attempt the same one at once; a failure is retried with capped exponential backoff
 * (LOCKWELL_DELIVERY_BACKOFF_BASE_MS doubling up to LOCKWELL_DELIVERY_BACKOFF_MAX_MS) until
 * LOCKWELL_DELIVERY_MAX_ATTEMPTS, then given up and logged (monitoring sees `delivery failed` warnings).
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryWorker');
  private readonly job: PeriodicJob;

  constructor(
    private readonly orm: MikroORM,
    private readonly deliveries: DeliveryRepository,
    private readonly email: EmailDelivery,
    private readonly webhook: WebhookDelivery,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
  ) {
    this.job = new PeriodicJob('DeliveryWorker', config.LOCKWELL_DELIVERY_POLL_MS, BATCH, () => this.runOnce());
  }

  onApplicationBootstrap() {
    this.job.start();
  }

  onApplicationShutdown() {
    return this.job.stop();
  }

  /** Attempts until nothing is due (tests drive it with the timers off). */
  drain(): Promise<number> {
    return this.job.drain();
  }

  /** One batch as of the clock's now; returns how many deliveries it attempted. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    const claimed = await this.fork().transactional((tx) =>
      this.deliveries.claimDue(tx as EntityManager, now, new Date(now.getTime() + LEASE_MS), BATCH),
    );
    for (const d of claimed) {
      const outcome = d.channel === 'email' ? await this.email.attempt(d) : await this.webhook.attempt(d);
      const after = this.clock.now();
      if (outcome.ok) {
        await this.deliveries.sent(this.fork(), d.id, after);
      } else if (outcome.final || d.attempts >= this.config.LOCKWELL_DELIVERY_MAX_ATTEMPTS) {
        this.logger.warn(
          `delivery failed: ${d.channel} delivery ${d.id} of notification ${d.notification_id} given up after ${d.attempts} attempt(s): ${outcome.error}`,
        );
        await this.deliveries.failed(this.fork(), d.id, after, outcome.error);
      } else {
        const wait = backoffMs(
          d.attempts,
          this.config.LOCKWELL_DELIVERY_BACKOFF_BASE_MS,
          this.config.LOCKWELL_DELIVERY_BACKOFF_MAX_MS,
        );
        this.logger.warn(
          `${d.channel} delivery ${d.id} attempt ${d.attempts} failed (${outcome.error}); retrying in ${wait} ms`,
        );
        await this.deliveries.retryAt(this.fork(), d.id, new Date(after.getTime() + wait), outcome.error);
      }
    }
    return claimed.length;
  }

  private fork = () => this.orm.em.fork() as EntityManager;
}
