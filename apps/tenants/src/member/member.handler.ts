import { Controller } from '@nestjs/common';
import {
  TenantsMemberAdd,
  TenantsMemberList,
  TenantsMemberRemove,
  TenantsMemberUpdate,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { MemberService } from './member.service.js';

@Controller()
export class MemberHandler {
  constructor(private readonly members: MemberService) {}

  @RpcHandler(TenantsMemberList)
  list(data: RpcRequestParsed<typeof TenantsMemberList>, ctx: CallContext) {
    return this.members.list(ctx, data);
  }

  @RpcHandler(TenantsMemberAdd)
  add(data: RpcRequestParsed<typeof TenantsMemberAdd>, ctx: CallContext) {
    return this.members.add(
      ctx,
      data.tenant_id,
      data.user_id ? { userId: data.user_id } : { email: data.email! },
      data.role,
    );
  }

  @RpcHandler(TenantsMemberUpdate)
  update(data: RpcRequestParsed<typeof TenantsMemberUpdate>, ctx: CallContext) {
    return this.members.changeRole(ctx, data.tenant_id, data.user_id, data.role);
  }

  @RpcHandler(TenantsMemberRemove)
  async remove(data: RpcRequestParsed<typeof TenantsMemberRemove>, ctx: CallContext) {
    await this.members.remove(ctx, data.tenant_id, data.user_id);
    return { ok: true as const };
  }
}
