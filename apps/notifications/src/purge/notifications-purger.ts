import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CONSUMERS, UserDeleted } from '@lockwell/contracts';
import { EventConsumers, type TenantPurger } from '@lockwell/service-kit';
import { DeliveryRepository } from '../delivery/delivery.repository.js';
import { InboxRepository } from '../inbox/inbox.repository.js';
import { NotificationRepository } from '../notification/notification.repository.js';
import { PreferenceRepository } from '../preference/preference.repository.js';
import { WatchedSecretRepository } from '../secret-watch/watched-secret.repository.js';
import { WebhookRepository } from '../webhook/webhook.repository.js';

/**
 * What notifications holds of a deleted tenant (its webhooks and their log, its queued notifications and
 * deliveries, inbox items about it, its watched secrets) goes in the saga's transaction; a deleted user's inbox,
 * preferences, personal notifications and watched personal secrets go when identity says so.
 */
@Injectable()
export class NotificationsPurger implements TenantPurger, OnApplicationBootstrap {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly webhooks: WebhookRepository,
    private readonly notifications: NotificationRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly inbox: InboxRepository,
    private readonly watched: WatchedSecretRepository,
    private readonly preferences: PreferenceRepository,
  ) {}

  async onApplicationBootstrap() {
    await this.consumers.subscribe(CONSUMERS.notificationsUserDeleted.name, UserDeleted, ({ user_id }, _, em) =>
      this.purgeUser(em, user_id),
    );
  }

  async purgeTenant(em: EntityManager, tenantId: string): Promise<void> {
    await this.webhooks.purgeTenant(em, tenantId);
    await this.deliveries.purgeTenant(em, tenantId);
    await this.notifications.purgeTenant(em, tenantId);
    await this.inbox.purgeTenant(em, tenantId);
    await this.watched.purgeTenant(em, tenantId);
  }

  async purgeUser(em: EntityManager, userId: string): Promise<void> {
    await this.inbox.purgeUser(em, userId);
    await this.preferences.purgeUser(em, userId);
    await this.deliveries.purgeUser(em, userId);
    await this.notifications.purgeUser(em, userId);
    await this.watched.purgeOwner(em, userId);
  }
}
