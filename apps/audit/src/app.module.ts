import { Module, type DynamicModule } from '@nestjs/common';
import { defineService, ServiceKitModule, type ServiceAppOptions } from '@lockwell/service-kit';
import { configSchema, type Config } from './config.js';
import { migrations } from './migrations/index.js';
import { AuditRecordModule } from './record/audit-record.module.js';
import { ChainModule } from './chain/chain.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { AuditConsumerLag } from './ingest/consumer-lag.js';

export type AppOptions = ServiceAppOptions<Config>;

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forService({
          name: 'audit',
          ...opts,
          database: { entities: [], migrations },
          healthFigures: AuditConsumerLag,
        }),
        AuditRecordModule,
        ChainModule,
        IngestModule,
      ],
    };
  }
}

/** The audit service: its name in the service list, its config and its root module (main.ts, tests and e2e start it from this). */
export const service = defineService({ name: 'audit', configSchema, module: (opts) => AppModule.register(opts) });
