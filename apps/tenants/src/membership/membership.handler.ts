import { Controller } from '@nestjs/common';
import {
  TenantsMembershipListForUser,
  TenantsMembershipRoleUsage,
  TenantsMembershipSoleOwner,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { MembershipService } from './membership.service.js';

@Controller()
export class MembershipHandler {
  constructor(private readonly memberships: MembershipService) {}

  @RpcHandler(TenantsMembershipListForUser)
  async listForUser(data: RpcRequestParsed<typeof TenantsMembershipListForUser>, ctx: CallContext) {
    return { memberships: await this.memberships.listForUser(ctx, data.user_id) };
  }

  @RpcHandler(TenantsMembershipRoleUsage)
  async roleUsage(data: RpcRequestParsed<typeof TenantsMembershipRoleUsage>, ctx: CallContext) {
    return { tenants: await this.memberships.roleUsage(ctx, data.role_id, data.except_tenant_ids) };
  }

  @RpcHandler(TenantsMembershipSoleOwner)
  async soleOwner(data: RpcRequestParsed<typeof TenantsMembershipSoleOwner>, ctx: CallContext) {
    return { tenant_ids: await this.memberships.soleOwnerOf(ctx, data.user_id) };
  }
}
