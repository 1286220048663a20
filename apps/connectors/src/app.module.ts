import { Module, type DynamicModule } from '@nestjs/common';
import { defineService, ServiceKitModule, TenantPurgeModule, type ServiceAppOptions } from '@lockwell/service-kit';
import { configSchema, type Config } from './config.js';
import { CONNECTORS_SETTINGS, connectorsSettingsFrom } from './connectors-settings.js';
import { migrations } from './migrations/index.js';
import { AuthorizationModule } from './authorization/authorization.module.js';
import { BrokerModule } from './broker/broker.module.js';
import { ConnectionModule } from './connection/connection.module.js';
import { PurgeConsumer } from './purge/purge.consumer.js';
import { PurgeModule } from './purge/purge.module.js';
import { AdminModule } from './admin/admin.module.js';

export type AppOptions = ServiceAppOptions<Config>;

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forService({
          name: 'connectors',
          ...opts,
          database: { entities: [], migrations },
          settings: { provide: CONNECTORS_SETTINGS, useValue: connectorsSettingsFrom(opts.config) },
        }),
        AdminModule,
        AuthorizationModule,
        ConnectionModule,
        BrokerModule,
        PurgeModule,
        TenantPurgeModule.register({ imports: [PurgeModule], purger: PurgeConsumer }),
      ],
    };
  }
}

/** The connectors service: its name in the service list, its config and its root module (main.ts, tests and e2e start it from this). */
export const service = defineService({ name: 'connectors', configSchema, module: (opts) => AppModule.register(opts) });
