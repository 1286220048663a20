import { Module } from '@nestjs/common';
import { WebhookSecrets } from './webhook-secrets.js';
import { WebhookUrlGuard } from './webhook-url.guard.js';
import { WebhookHandler } from './webhook.handler.js';
import { WebhookRepository } from './webhook.repository.js';
import { WebhookService } from './webhook.service.js';

/** Tenant webhooks: management routes, the URL (SSRF) guard, and the webhooks and attempts tables. */
@Module({
  controllers: [WebhookHandler],
  providers: [WebhookRepository, WebhookService, WebhookUrlGuard, WebhookSecrets],
  exports: [WebhookRepository, WebhookUrlGuard, WebhookSecrets],
})
export class WebhookModule {}
