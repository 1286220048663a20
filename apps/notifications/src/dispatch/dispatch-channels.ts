import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WebhookBody } from '@lockwell/contracts';
import { randomUUID } from 'node:crypto';
import { DeliveryRepository } from '../delivery/delivery.repository.js';
import { Mailer } from '../delivery/mailer.js';
import { InboxRepository } from '../inbox/inbox.repository.js';
import type { NotificationRow } from '../notification/notification.js';
import { PreferenceService } from '../preference/preference.service.js';
import { WebhookRepository } from '../webhook/webhook.repository.js';

/** Writes the per-recipient rows of a dispatch: inbox items, email deliveries, webhook deliveries. */
@Injectable()
export class DispatchChannels {
  constructor(
    private readonly inbox: InboxRepository,
    private readonly preferences: PreferenceService,
    private readonly deliveries: DeliveryRepository,
    private readonly webhooks: WebhookRepository,
    private readonly mailer: Mailer,
  ) {}

  async toPeople(
    em: EntityManager,
    n: NotificationRow,
    users: { id: string; email: string }[],
    message: { subject: string; text: string; html: string },
    now: Date,
  ) {
    const prefs = await this.preferences.effective(
      em,
      users.map((u) => u.id),
      n.kind,
    );
    for (const user of users) {
      const p = prefs.get(user.id)!;
      if (p.in_app) {
        await this.inbox.add(em, user.id, {
          id: randomUUID(),
          notification_id: n.id,
          kind: n.kind,
          title: message.subject,
          body: message.text,
          tenant_id: n.tenant_id,
          resource_id: n.resource_id,
          created_at: now,
        });
      }
      if (p.email && this.mailer.enabled) {
        await this.deliveries.queue(
          em,
          {
            notificationId: n.id,
            channel: 'email',
            target: user.id,
            kind: n.kind,
            tenantId: n.tenant_id,
            userId: user.id,
            webhookId: null,
            content: { to: user.email, ...message, tenant_id: n.tenant_id },
          },
          now,
        );
      }
    }
  }

  async toWebhooks(em: EntityManager, n: NotificationRow, body: WebhookBody, now: Date) {
    const raw = JSON.stringify(body);
    for (const w of await this.webhooks.forKind(em, n.tenant_id!, n.kind)) {
      await this.deliveries.queue(
        em,
        {
          notificationId: n.id,
          channel: 'webhook',
          target: w.id,
          kind: n.kind,
          tenantId: n.tenant_id,
          userId: null,
          webhookId: w.id,
          content: { body: raw },
        },
        now,
      );
    }
  }
}
