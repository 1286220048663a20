import { Module, type DynamicModule } from '@nestjs/common';
import { defineService, ServiceKitModule, type ServiceAppOptions } from '@lockwell/service-kit';
import { configSchema, type Config } from './config.js';
import { migrations } from './migrations/index.js';

export type AppOptions = ServiceAppOptions<Config>;

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forService({ name: 'audit', ...opts, database: { entities: [], migrations } })],
    };
  }
}

/** The audit service: its name in the service list, its config and its root module (main.ts, tests and e2e start it from this). */
export const service = defineService({ name: 'audit', configSchema, module: (opts) => AppModule.register(opts) });
