import { Module } from '@nestjs/common';
import { MembershipModule } from '../membership/membership.module.js';
import { RoleModule } from '../role/role.module.js';
import { TenantModule } from '../tenant/tenant.module.js';
import { MemberHandler } from './member.handler.js';
import { MemberService } from './member.service.js';

/** A tenant's members: list, add, change role, remove (owners and admins manage; anyone may leave). */
@Module({
  imports: [TenantModule, MembershipModule, RoleModule],
  controllers: [MemberHandler],
  providers: [MemberService],
})
export class MemberModule {}
