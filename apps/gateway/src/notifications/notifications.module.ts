import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller.js';
import { WebhooksController } from './webhooks.controller.js';

/** Gateway routes of notifications (issue 19): the inbox, preferences and tenant webhooks. */
@Module({ controllers: [NotificationsController, WebhooksController] })
export class NotificationsGatewayModule {}
