import { Module } from '@nestjs/common';
import { NotificationModule } from '../notification/notification.module.js';
import { AlertEventsConsumer } from './alert-events.consumer.js';

/** Alerts about sensitive operations, raised from other services' events. */
@Module({ imports: [NotificationModule], providers: [AlertEventsConsumer] })
export class AlertModule {}
