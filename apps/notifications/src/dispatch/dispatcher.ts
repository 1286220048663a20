import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WebhookBody } from '@lockwell/contracts';
import { CLOCK, SERVICE_CONFIG, type Clock } from '@lockwell/service-kit';
import type { Config } from '../config.js';
import { backoffMs } from '../delivery/delivery.js';
import { PeriodicJob } from '../job/periodic-job.js';
import type { NotificationRow } from '../notification/notification.js';
import { NotificationRepository } from '../notification/notification.repository.js';
import { RecipientResolver } from '../recipient/recipient.resolver.js';
import { TemplateRenderer } from '../template/template.renderer.js';
import { DispatchChannels } from './dispatch-channels.js';

const BATCH = 20;

/**
 * Turns raised notifications into what people see: for each recipient resolved now (a member removed since the
 * notification was raised gets nothing) an inbox item and an email delivery as their preferences say, and for a
 * tenant's notifications one delivery per active webhook that takes the kind. Rows are claimed with SKIP LOCKED
 * and every insert is unique per notification and recipient, so two replicas never dispatch twice. When tenants
 * or identity cannot be asked, the notification waits and is tried again with backoff.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private readonly job: PeriodicJob;

  constructor(
    private readonly orm: MikroORM,
    private readonly notifications: NotificationRepository,
    private readonly recipients: RecipientResolver,
    private readonly templates: TemplateRenderer,
    private readonly channels: DispatchChannels,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
  ) {
    this.job = new PeriodicJob('Dispatcher', config.LOCKWELL_DELIVERY_POLL_MS, BATCH, () => this.runOnce());
  }

  onApplicationBootstrap() {
    this.job.start();
  }

  onApplicationShutdown() {
    return this.job.stop();
  }

  /** Dispatches until nothing is due (tests drive it with the timers off). */
  drain(): Promise<number> {
    return this.job.drain();
  }

  /** One batch as of the clock's now; returns how many notifications it handled. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    return (this.orm.em.fork() as EntityManager).transactional(async (tx) => {
      const em = tx as EntityManager;
      const due = await this.notifications.claimDue(em, now, BATCH);
      for (const n of due) {
        try {
          await this.dispatch(em, n, now);
          await this.notifications.markDispatched(em, n.id, now);
        } catch (err) {
          const wait = backoffMs(
            n.dispatch_attempts + 1,
            this.config.LOCKWELL_DELIVERY_BACKOFF_BASE_MS,
            this.config.LOCKWELL_DELIVERY_BACKOFF_MAX_MS,
          );
          this.logger.warn(
            `notification ${n.id} (${n.kind}) not dispatched yet (${(err as Error).message}); retrying in ${wait} ms`,
          );
          await this.notifications.postpone(em, n.id, new Date(now.getTime() + wait));
        }
      }
      return due.length;
    });
  }

  private async dispatch(em: EntityManager, n: NotificationRow, now: Date): Promise<void> {
    const to = await this.recipients.resolve(n);
    if (!to.tenantExists) return;
    const member = typeof n.data.member_id === 'string' ? await this.recipients.describe(n.data.member_id, n.id) : null;
    const data = {
      ...n.data,
      ...(to.tenantName !== null ? { tenant_name: to.tenantName } : {}),
      ...(member ? { member } : {}),
    };
    const message = this.templates.render(n.kind, data);
    await this.channels.toPeople(em, n, to.users, message, now);
    if (n.tenant_id) {
      const body: WebhookBody = {
        id: n.id,
        kind: n.kind,
        tenant_id: n.tenant_id,
        created_at: new Date(n.created_at).toISOString(),
        data,
      };
      await this.channels.toWebhooks(em, n, body, now);
    }
  }
}
