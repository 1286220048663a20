import { Module } from '@nestjs/common';
import { MembershipModule } from '../membership/membership.module.js';
import { TenantModule } from '../tenant/tenant.module.js';
import { TenantDeletionConsumer } from './tenant-deletion.consumer.js';
import { TenantDeletionHandler } from './tenant-deletion.handler.js';
import { TenantDeletionRepository } from './tenant-deletion.repository.js';
import { TenantDeletionService } from './tenant-deletion.service.js';

/** The tenant deletion saga, coordinator side (docs/tenants.md): DELETE /tenants/{id} and the participants' confirmations. */
@Module({
  imports: [TenantModule, MembershipModule],
  controllers: [TenantDeletionHandler],
  providers: [TenantDeletionRepository, TenantDeletionService, TenantDeletionConsumer],
})
export class TenantDeletionModule {}
