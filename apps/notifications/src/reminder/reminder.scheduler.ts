import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CLOCK, SERVICE_CONFIG, type Clock } from '@lockwell/service-kit';
import type { Config } from '../config.js';
import { PeriodicJob } from '../job/periodic-job.js';
import { NotificationService } from '../notification/notification.service.js';
import { WatchedSecretRepository } from '../secret-watch/watched-secret.repository.js';
import { dueReminders, type ReminderSettings } from './reminder-schedule.js';

const BATCH = 500;

/**
 * The reminder scheduler: at least once a minute, every watched secret's due reminders are raised. Raising is
 * an insert on the reminder's unique key, so replicas running it at the same moment raise each reminder once.
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: PeriodicJob;
  private readonly settings: ReminderSettings;

  constructor(
    private readonly orm: MikroORM,
    private readonly watched: WatchedSecretRepository,
    private readonly notifications: NotificationService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) config: Config,
  ) {
    this.settings = {
      expiryDays: config.LOCKWELL_EXPIRY_REMINDER_DAYS,
      deletionDays: config.LOCKWELL_DELETION_REMINDER_DAYS,
    };
    // One pass covers every watched secret (runOnce pages through them itself).
    this.job = new PeriodicJob('ReminderScheduler', config.LOCKWELL_REMINDER_INTERVAL_MS, Infinity, () =>
      this.runOnce(),
    );
  }

  onApplicationBootstrap() {
    this.job.start();
  }

  onApplicationShutdown() {
    return this.job.stop();
  }

  /** One pass as of the clock's now; returns how many reminders this pass raised (tests drive it with a fake clock). */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    let raised = 0;
    let after: string | null = null;
    for (;;) {
      const em = this.orm.em.fork() as EntityManager;
      const batch = await this.watched.candidates(em, after, BATCH);
      await em.transactional(async (tx) => {
        for (const s of batch)
          for (const n of dueReminders(s, now, this.settings)) if (await this.notifications.raise(tx, n)) raised++;
      });
      if (batch.length < BATCH) return raised;
      after = batch[batch.length - 1]!.secret_id;
    }
  }
}
