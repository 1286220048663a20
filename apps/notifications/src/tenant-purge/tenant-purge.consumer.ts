import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NotificationsTenantPurged } from '@lockwell/contracts';
import { EventConsumers, joinTenantPurge, Outbox } from '@lockwell/service-kit';

/** Notifications' part of the tenant deletion saga: purge the tenant's rows, confirm with NotificationsTenantPurged. */
@Injectable()
export class TenantPurgeConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly outbox: Outbox,
  ) {}

  async onApplicationBootstrap() {
    // notifications owns no tenant-scoped table yet (its webhooks, channels and deliveries come with the notifications issue), so the purge deletes nothing today; the confirmation
    // still goes out, and the delete statements belong in this callback once such tables exist.
    await joinTenantPurge(this.consumers, this.outbox, NotificationsTenantPurged, async () => undefined);
  }
}
