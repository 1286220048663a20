import { Module } from '@nestjs/common';
import { NotificationModule } from '../notification/notification.module.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { DeliveryRepository } from './delivery.repository.js';
import { DeliveryWorker } from './delivery.worker.js';
import { EmailDelivery } from './email-delivery.js';
import { Mailer } from './mailer.js';
import { WebhookDelivery } from './webhook-delivery.js';
import { WebhookHealth } from './webhook-health.js';
import { WebhookPoster } from './webhook-poster.js';

/** Email and webhook deliveries: queued per recipient, attempted with retries and backoff. */
@Module({
  imports: [NotificationModule, WebhookModule],
  providers: [DeliveryRepository, Mailer, WebhookPoster, EmailDelivery, WebhookHealth, WebhookDelivery, DeliveryWorker],
  exports: [DeliveryRepository, Mailer, DeliveryWorker],
})
export class DeliveryModule {}
