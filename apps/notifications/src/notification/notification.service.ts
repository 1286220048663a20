import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CLOCK, type Clock } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import type { NewNotification } from './notification.js';
import { NotificationRepository } from './notification.repository.js';

/** Raises notifications (reminders, alerts) into the queue the dispatcher drains; idempotent per dedupe key. */
@Injectable()
export class NotificationService {
  constructor(
    private readonly notifications: NotificationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  raise(em: EntityManager, n: NewNotification): Promise<boolean> {
    return this.notifications.raise(em, randomUUID(), n, this.clock.now());
  }
}
