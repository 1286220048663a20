import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { systemContext } from '@lockwell/contracts';
import type { MasterKeyRing } from '@lockwell/crypto';
import { CLOCK, MASTER_KEY_RING, Outbox, SERVICE_CONFIG, type Clock } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { NotificationService } from '../notification/notification.service.js';
import { openWebhookSecret } from '../webhook/webhook-secret.js';
import { signWebhookBody } from '../webhook/webhook-signature.js';
import { WebhookUrlGuard } from '../webhook/webhook-url.guard.js';
import { WebhookRepository, type WebhookRow } from '../webhook/webhook.repository.js';
import { DeliveryRepository } from './delivery.repository.js';
import type { DeliveryRow, WebhookContent } from './delivery.js';
import type { AttemptOutcome } from './email-delivery.js';
import { WebhookPoster } from './webhook-poster.js';

/**
 * One attempt of a webhook delivery: the URL is checked again (SSRF), the body signed afresh with this attempt's
 * time, posted, and the attempt logged. Failures in a row are counted per webhook; at
 * LOCKWELL_WEBHOOK_DISABLE_AFTER_FAILURES the webhook is disabled, its pending deliveries cancelled, the change
 * audited and the tenant's owners told, all in one transaction.
 */
@Injectable()
export class WebhookDelivery {
  constructor(
    private readonly orm: MikroORM,
    private readonly webhooks: WebhookRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly guard: WebhookUrlGuard,
    private readonly poster: WebhookPoster,
    private readonly notifications: NotificationService,
    private readonly outbox: Outbox,
    @Inject(MASTER_KEY_RING) private readonly ring: MasterKeyRing,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Pick<Config, 'LOCKWELL_WEBHOOK_DISABLE_AFTER_FAILURES'>,
  ) {}

  private fork = () => this.orm.em.fork() as EntityManager;

  async attempt(d: DeliveryRow): Promise<AttemptOutcome> {
    const tenantId = d.tenant_id!;
    const webhook = await this.webhooks.find(this.fork(), tenantId, d.webhook_id!);
    if (!webhook || webhook.status !== 'active') return { ok: false, error: 'webhook deleted or disabled', final: true };
    const now = this.clock.now();
    let result: { ok: boolean; status: number | null; error: string | null; durationMs: number };
    try {
      await this.guard.check(webhook.url);
      const { body } = d.content as WebhookContent;
      const secret = openWebhookSecret(this.ring, tenantId, webhook.id, Buffer.from(webhook.secret_sealed));
      result = await this.poster.post(webhook.url, body, signWebhookBody(secret, body, now), d.notification_id);
    } catch {
      result = { ok: false, status: null, error: 'URL refused', durationMs: 0 };
    }
    await this.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      await this.webhooks.addAttempt(em, tenantId, {
        id: randomUUID(),
        webhook_id: webhook.id,
        delivery_id: d.id,
        notification_id: d.notification_id,
        kind: d.kind,
        attempt: d.attempts,
        attempted_at: now,
        status_code: result.status,
        error: result.error,
        duration_ms: result.durationMs,
        succeeded: result.ok,
      });
      if (result.ok) return this.webhooks.succeeded(em, tenantId, webhook.id);
      const failures = await this.webhooks.failed(em, tenantId, webhook.id);
      if (failures !== null && failures >= this.config.LOCKWELL_WEBHOOK_DISABLE_AFTER_FAILURES) await this.disable(em, webhook, failures, result.error ?? 'failed', now);
    });
    return result.ok ? { ok: true } : { ok: false, error: result.error ?? 'failed', final: false };
  }

  private async disable(em: EntityManager, webhook: WebhookRow, failures: number, lastError: string, now: Date) {
    await this.webhooks.disable(em, webhook.tenant_id, webhook.id, `${failures} failed deliveries in a row (last: ${lastError})`);
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
