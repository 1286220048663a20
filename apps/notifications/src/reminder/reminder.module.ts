import { Module } from '@nestjs/common';
import { NotificationModule } from '../notification/notification.module.js';
import { SecretWatchModule } from '../secret-watch/secret-watch.module.js';
import { ReminderScheduler } from './reminder.scheduler.js';

/** Expiry, rotation and scheduled-deletion reminders, raised by a replica-safe scheduler. */
@Module({
  imports: [SecretWatchModule, NotificationModule],
  providers: [ReminderScheduler],
  exports: [ReminderScheduler],
})
export class ReminderModule {}
