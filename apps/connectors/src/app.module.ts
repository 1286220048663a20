import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceKitModule, TenantPurgeModule, type ServiceAppOptions } from '@lockwell/service-kit';
import type { Config } from './config.js';
import { migrations } from './migrations/index.js';

export type AppOptions = ServiceAppOptions<Config>;

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forService({ name: 'connectors', ...opts, database: { entities: [], migrations } }),
        // No tenant-scoped tables yet: it confirms the saga's purge and deletes nothing.
        TenantPurgeModule.register(),
      ],
    };
  }
}
