import { Module } from '@nestjs/common';
import { MembershipModule } from '../membership/membership.module.js';
import { RoleModule } from '../role/role.module.js';
import { TenantAccess } from './tenant-access.service.js';
import { TenantHandler } from './tenant.handler.js';
import { TenantRepository } from './tenant.repository.js';
import { TenantService } from './tenant.service.js';

/**
 * Tenants and who may do what in one (TenantAccess, from this service's membership rows). Exports the access
 * check and the table to the features that act on a tenant (members, the deletion saga).
 */
@Module({
  imports: [MembershipModule, RoleModule],
  controllers: [TenantHandler],
  providers: [TenantRepository, TenantAccess, TenantService],
  exports: [TenantAccess, TenantRepository],
})
export class TenantModule {}
