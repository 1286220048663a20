import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceKitModule, type Clock, type Logger } from '@lockwell/service-kit';
import type { Config } from './config.js';
import { migrations } from './migrations/index.js';
import { TenantPurgeModule } from './tenant-purge/tenant-purge.module.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forService({ name: 'notifications', ...opts, database: { entities: [], migrations } }), TenantPurgeModule],
    };
  }
}
