import { Module } from '@nestjs/common';
import { NotificationModule } from '../notification/notification.module.js';
import { SecretEventsConsumer } from './secret-events.consumer.js';
import { WatchedSecretRepository } from './watched-secret.repository.js';

/** The secrets notifications watches (from vault events) and the alerts those events raise at once. */
@Module({
  imports: [NotificationModule],
  providers: [WatchedSecretRepository, SecretEventsConsumer],
  exports: [WatchedSecretRepository],
})
export class SecretWatchModule {}
