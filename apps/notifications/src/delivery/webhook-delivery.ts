import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CLOCK, type Clock } from '@lockwell/service-kit';
import { signWebhookBody } from '../webhook/webhook-signature.js';
import { WebhookSecrets } from '../webhook/webhook-secrets.js';
import { WebhookUrlGuard } from '../webhook/webhook-url.guard.js';
import { WebhookRepository } from '../webhook/webhook.repository.js';
import type { DeliveryRow, WebhookContent } from './delivery.js';
import type { AttemptOutcome } from './email-delivery.js';
import { WebhookHealth } from './webhook-health.js';
import { WebhookPoster, type PostResult } from './webhook-poster.js';

/**
 * One attempt of a webhook delivery: the URL is checked again (SSRF: a name may point elsewhere by now), the
 * body signed afresh with this attempt's time, posted, and the attempt recorded (WebhookHealth disables a
 * webhook that keeps failing).
 */
@Injectable()
export class WebhookDelivery {
  constructor(
    private readonly orm: MikroORM,
    private readonly webhooks: WebhookRepository,
    private readonly guard: WebhookUrlGuard,
    private readonly secrets: WebhookSecrets,
    private readonly poster: WebhookPoster,
    private readonly health: WebhookHealth,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async attempt(d: DeliveryRow): Promise<AttemptOutcome> {
    const tenantId = d.tenant_id!;
    const webhook = await this.webhooks.find(this.orm.em.fork() as EntityManager, tenantId, d.webhook_id!);
    if (!webhook || webhook.status !== 'active')
      return { ok: false, error: 'webhook deleted or disabled', final: true };
    const now = this.clock.now();
    let result: PostResult;
    try {
      await this.guard.check(webhook.url);
      const { body } = d.content as WebhookContent;
      result = await this.poster.post(
        webhook.url,
        body,
        signWebhookBody(this.secrets.open(tenantId, webhook.id, webhook.secret_sealed), body, now),
        d.notification_id,
      );
    } catch {
      result = { ok: false, status: null, error: 'URL refused', durationMs: 0 };
    }
    await (this.orm.em.fork() as EntityManager).transactional((tx) =>
      this.health.record(tx as EntityManager, webhook, d, result, now),
    );
    return result.ok ? { ok: true } : { ok: false, error: result.error ?? 'failed', final: false };
  }
}
