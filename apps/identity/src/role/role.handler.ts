import { Controller, Inject } from '@nestjs/common';
import {
  IdentityRoleCreate,
  IdentityRoleDelete,
  IdentityRoleGet,
  IdentityRoleList,
  IdentityRoleResolve,
  IdentityRoleUpdate,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { RoleService } from './role.service.js';

@Controller()
export class RoleHandler {
  constructor(@Inject(RoleService) private readonly roles: RoleService) {}

  @RpcHandler(IdentityRoleCreate)
  create(data: RpcRequestParsed<typeof IdentityRoleCreate>, ctx: CallContext) {
    return this.roles.create(ctx, data);
  }

  @RpcHandler(IdentityRoleList)
  async list(_: unknown, ctx: CallContext) {
    return { items: await this.roles.list(ctx), next_cursor: null };
  }

  @RpcHandler(IdentityRoleGet)
  get(data: RpcRequestParsed<typeof IdentityRoleGet>, ctx: CallContext) {
    return this.roles.get(ctx, data.role_id);
  }

  @RpcHandler(IdentityRoleUpdate)
  update(data: RpcRequestParsed<typeof IdentityRoleUpdate>, ctx: CallContext) {
    return this.roles.update(ctx, data.role_id, data.changes);
  }

  @RpcHandler(IdentityRoleDelete)
  async remove(data: RpcRequestParsed<typeof IdentityRoleDelete>, ctx: CallContext) {
    await this.roles.remove(ctx, data.role_id);
    return { ok: true as const };
  }

  /** Internal: gateways resolve custom tenant roles named in memberships. */
  @RpcHandler(IdentityRoleResolve)
  async resolve(data: RpcRequestParsed<typeof IdentityRoleResolve>) {
    return { roles: await this.roles.resolve(data.role_ids) };
  }
}
