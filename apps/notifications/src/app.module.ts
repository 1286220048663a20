import { Module, type DynamicModule } from '@nestjs/common';
import { defineService, ServiceKitModule, TenantPurgeModule, type ServiceAppOptions } from '@lockwell/service-kit';
import { configSchema, type Config } from './config.js';
import { migrations } from './migrations/index.js';

export type AppOptions = ServiceAppOptions<Config>;

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forService({ name: 'notifications', ...opts, database: { entities: [], migrations } }),
        // No tenant-scoped tables yet: it confirms the saga's purge and deletes nothing.
        TenantPurgeModule.register(),
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
