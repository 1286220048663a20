import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { InboxModule } from '../inbox/inbox.module.js';
import { NotificationModule } from '../notification/notification.module.js';
import { PreferenceModule } from '../preference/preference.module.js';
import { SecretWatchModule } from '../secret-watch/secret-watch.module.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { NotificationsPurger } from './notifications-purger.js';

/** Tenant and user deletion: everything notifications holds of them. */
@Module({
  imports: [WebhookModule, NotificationModule, DeliveryModule, InboxModule, SecretWatchModule, PreferenceModule],
  providers: [NotificationsPurger],
  exports: [NotificationsPurger],
})
export class PurgeModule {}
