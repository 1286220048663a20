import { Controller } from '@nestjs/common';
import {
  NotificationsWebhookAttempts,
  NotificationsWebhookCreate,
  NotificationsWebhookDelete,
  NotificationsWebhookList,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { WebhookService } from './webhook.service.js';

@Controller()
export class WebhookHandler {
  constructor(private readonly webhooks: WebhookService) {}

  @RpcHandler(NotificationsWebhookCreate)
  create(data: RpcRequestParsed<typeof NotificationsWebhookCreate>, ctx: CallContext) {
    return this.webhooks.create(ctx, data);
  }

  @RpcHandler(NotificationsWebhookList)
  list(data: RpcRequestParsed<typeof NotificationsWebhookList>, ctx: CallContext) {
    return this.webhooks.list(ctx, data.tenant_id, data);
  }

  @RpcHandler(NotificationsWebhookDelete)
  async delete(data: RpcRequestParsed<typeof NotificationsWebhookDelete>, ctx: CallContext) {
    await this.webhooks.delete(ctx, data.tenant_id, data.webhook_id);
    return { ok: true as const };
  }

  @RpcHandler(NotificationsWebhookAttempts)
  attempts(data: RpcRequestParsed<typeof NotificationsWebhookAttempts>, ctx: CallContext) {
    return this.webhooks.attempts(ctx, data.tenant_id, data.webhook_id, data);
  }
}
