import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { InboxModule } from '../inbox/inbox.module.js';
import { NotificationModule } from '../notification/notification.module.js';
import { PreferenceModule } from '../preference/preference.module.js';
import { RecipientModule } from '../recipient/recipient.module.js';
import { TemplateModule } from '../template/template.module.js';
import { WebhookModule } from '../webhook/webhook.module.js';
import { DispatchChannels } from './dispatch-channels.js';
import { Dispatcher } from './dispatcher.js';

/** From a raised notification to inbox items and queued deliveries, recipients resolved at that moment. */
@Module({
  imports: [
    NotificationModule,
    RecipientModule,
    TemplateModule,
    InboxModule,
    PreferenceModule,
    DeliveryModule,
    WebhookModule,
  ],
  providers: [Dispatcher, DispatchChannels],
  exports: [Dispatcher],
})
export class DispatchModule {}
