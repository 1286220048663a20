import { Module, type DynamicModule } from '@nestjs/common';
import { defineService, ServiceKitModule, TenantPurgeModule, type ServiceAppOptions } from '@lockwell/service-kit';
import { configSchema, type Config } from './config.js';
import { migrations } from './migrations/index.js';
import { AlertModule } from './alert/alert.module.js';
import { DispatchModule } from './dispatch/dispatch.module.js';
import { InboxModule } from './inbox/inbox.module.js';
import { PreferenceModule } from './preference/preference.module.js';
import { NotificationsPurger } from './purge/notifications-purger.js';
import { PurgeModule } from './purge/purge.module.js';
import { ReminderModule } from './reminder/reminder.module.js';
import { SecretWatchModule } from './secret-watch/secret-watch.module.js';
import { WebhookModule } from './webhook/webhook.module.js';

export type AppOptions = ServiceAppOptions<Config>;

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forService({ name: 'notifications', ...opts, database: { entities: [], migrations } }),
        SecretWatchModule,
        ReminderModule,
        AlertModule,
        DispatchModule,
        InboxModule,
        PreferenceModule,
        WebhookModule,
        TenantPurgeModule.register({ purger: NotificationsPurger, imports: [PurgeModule] }),
      ],
    };
  }
}

/** The notifications service: its name in the service list, its config and its root module (main.ts, tests and e2e start it from this). */
export const service = defineService({
  name: 'notifications',
  configSchema,
  module: (opts) => AppModule.register(opts),
});
