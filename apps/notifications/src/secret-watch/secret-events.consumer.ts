import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  CONSUMERS,
  InactiveSecretRead,
  SecretBecameInactive,
  SecretCreated,
  SecretDeleted,
  SecretDeletionCancelled,
  SecretDeletionScheduled,
  SecretRotated,
  SecretUpdated,
  type EventEnvelope,
  type SecretEventData,
} from '@lockwell/contracts';
import { EventConsumers } from '@lockwell/service-kit';
import { NotificationService } from '../notification/notification.service.js';
import { secretNotice, watchedFrom } from './secret-notice.js';
import { WatchedSecretRepository } from './watched-secret.repository.js';

/**
 * Vault's secret events: every one updates what we watch for reminders (the scheduler does the rest), and
 * three are told at once: deleted (to a tenant's owners and admins), became inactive and an inactive or
 * scheduled secret was read (to the secret's people). Durable consumers, each event applied once.
 */
@Injectable()
export class SecretEventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly watched: WatchedSecretRepository,
    private readonly notifications: NotificationService,
  ) {}

  async onApplicationBootstrap() {
    const watch = (data: SecretEventData, envelope: EventEnvelope, em: EntityManager) =>
      this.watched.apply(em, watchedFrom(data, envelope.occurredAt));
    await this.consumers.subscribe(CONSUMERS.notificationsSecretCreated.name, SecretCreated, watch);
    await this.consumers.subscribe(CONSUMERS.notificationsSecretUpdated.name, SecretUpdated, watch);
    await this.consumers.subscribe(CONSUMERS.notificationsSecretRotated.name, SecretRotated, watch);
    await this.consumers.subscribe(CONSUMERS.notificationsSecretDeletionScheduled.name, SecretDeletionScheduled, watch);
    await this.consumers.subscribe(CONSUMERS.notificationsSecretDeletionCancelled.name, SecretDeletionCancelled, watch);
    await this.consumers.subscribe(
      CONSUMERS.notificationsSecretInactive.name,
      SecretBecameInactive,
      async (data, envelope, em) => {
        await watch(data, envelope, em);
        await this.notifications.raise(
          em,
          secretNotice('secret.inactive', `secret.inactive:${envelope.id}`, data, 'tenant_members'),
        );
      },
    );
    await this.consumers.subscribe(
      CONSUMERS.notificationsSecretInactiveRead.name,
      InactiveSecretRead,
      async (data, envelope, em) => {
        await watch(data, envelope, em);
        await this.notifications.raise(
          em,
          secretNotice('secret.inactive_read', `secret.inactive_read:${envelope.id}`, data, 'tenant_members'),
        );
      },
    );
    await this.consumers.subscribe(
      CONSUMERS.notificationsSecretDeleted.name,
      SecretDeleted,
      async (data, envelope, em) => {
        await this.watched.apply(em, { ...watchedFrom(data, envelope.occurredAt), status: 'deleted' });
        await this.notifications.raise(
          em,
          secretNotice('secret.deleted', `secret.deleted:${envelope.id}`, data, 'tenant_managers'),
        );
      },
    );
  }
}
