import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { systemContext } from '@lockwell/contracts';
import { Outbox, SERVICE_CONFIG } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { NotificationService } from '../notification/notification.service.js';
import { WebhookRepository, type WebhookRow } from '../webhook/webhook.repository.js';
import { DeliveryRepository } from './delivery.repository.js';
import type { DeliveryRow } from './delivery.js';
import type { PostResult } from './webhook-poster.js';

/**
 * Records each webhook attempt in the delivery log and keeps count of failures in a row. At
 * LOCKWELL_WEBHOOK_DISABLE_AFTER_FAILURES the webhook is disabled, its pending deliveries cancelled, the change
 * audited and the tenant's owners told, in the caller's transaction.
 */
@Injectable()
export class WebhookHealth {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly notifications: NotificationService,
    private readonly outbox: Outbox,
    @Inject(SERVICE_CONFIG) private readonly config: Pick<Config, 'LOCKWELL_WEBHOOK_DISABLE_AFTER_FAILURES'>,
  ) {}

  async record(em: EntityManager, webhook: WebhookRow, d: DeliveryRow, result: PostResult, at: Date): Promise<void> {
    await this.webhooks.addAttempt(em, webhook.tenant_id, {
      id: randomUUID(),
      webhook_id: webhook.id,
      delivery_id: d.id,
      notification_id: d.notification_id,
      kind: d.kind,
      attempt: d.attempts,
      attempted_at: at,
      status_code: result.status,
      error: result.error,
      duration_ms: result.durationMs,
      succeeded: result.ok,
    });
    if (result.ok) return this.webhooks.succeeded(em, webhook.tenant_id, webhook.id);
    const failures = await this.webhooks.failed(em, webhook.tenant_id, webhook.id);
    if (failures !== null && failures >= this.config.LOCKWELL_WEBHOOK_DISABLE_AFTER_FAILURES)
      await this.disable(em, webhook, failures, result.error ?? 'failed', at);
  }

  private async disable(em: EntityManager, webhook: WebhookRow, failures: number, lastError: string, now: Date) {
    await this.webhooks.disable(
      em,
      webhook.tenant_id,
      webhook.id,
      `${failures} failed deliveries in a row (last: ${lastError})`,
    );
    await this.deliveries.cancelForWebhook(em, webhook.tenant_id, webhook.id, now);
    this.outbox.audit(em, systemContext(`webhook-disabled-${webhook.id}`), {
      action: 'webhook.disable',
      resourceType: 'webhook',
      resourceId: webhook.id,
      tenantId: webhook.tenant_id,
      system: true,
      detail: { failures, last_error: lastError },
    });
    await this.notifications.raise(em, {
      dedupeKey: `webhook.disabled:${webhook.id}`,
      kind: 'webhook.disabled',
      audience: 'tenant_owners',
      tenantId: webhook.tenant_id,
      userId: null,
      resourceId: webhook.id,
      data: { webhook_id: webhook.id, webhook_url: webhook.url, failures, last_error: lastError },
    });
  }
}
