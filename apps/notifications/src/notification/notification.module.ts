import { Module } from '@nestjs/common';
import { NotificationRepository } from './notification.repository.js';
import { NotificationService } from './notification.service.js';

/** The queue of raised notifications, each with its dedupe key. */
@Module({
  providers: [NotificationRepository, NotificationService],
  exports: [NotificationRepository, NotificationService],
})
export class NotificationModule {}
