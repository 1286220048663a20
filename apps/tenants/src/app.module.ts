import { Module, type DynamicModule } from '@nestjs/common';
import { defineService, ServiceKitModule, type ServiceAppOptions } from '@lockwell/service-kit';
import { configSchema, type Config } from './config.js';
import { migrations } from './migrations/index.js';
import { TenantEntity } from './tenant/tenant.entity.js';
import { MembershipEntity } from './membership/membership.entity.js';
import { TenantDeletionEntity } from './deletion/tenant-deletion.entity.js';
import { TenantModule } from './tenant/tenant.module.js';
import { MemberModule } from './member/member.module.js';
import { TenantDeletionModule } from './deletion/tenant-deletion.module.js';

export type AppOptions = ServiceAppOptions<Config>;

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forService({
          name: 'tenants',
          ...opts,
          database: { entities: [TenantEntity, MembershipEntity, TenantDeletionEntity], migrations },
        }),
        TenantModule,
        MemberModule,
        TenantDeletionModule,
      ],
    };
  }
}

/** The tenants service: its name in the service list, its config and its root module (main.ts, tests and e2e start it from this). */
export const service = defineService({ name: 'tenants', configSchema, module: (opts) => AppModule.register(opts) });
