import { Controller } from '@nestjs/common';
import {
  TenantsTenantCreate,
  TenantsTenantGet,
  TenantsTenantList,
  TenantsTenantUpdate,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { TenantService } from './tenant.service.js';

@Controller()
export class TenantHandler {
  constructor(private readonly tenants: TenantService) {}

  @RpcHandler(TenantsTenantCreate)
  create(data: RpcRequestParsed<typeof TenantsTenantCreate>, ctx: CallContext) {
    return this.tenants.create(ctx, data);
  }

  @RpcHandler(TenantsTenantList)
  list(data: RpcRequestParsed<typeof TenantsTenantList>, ctx: CallContext) {
    return this.tenants.list(ctx, data);
  }

  @RpcHandler(TenantsTenantGet)
  get(data: RpcRequestParsed<typeof TenantsTenantGet>, ctx: CallContext) {
    return this.tenants.get(ctx, data.tenant_id);
  }

  @RpcHandler(TenantsTenantUpdate)
  update(data: RpcRequestParsed<typeof TenantsTenantUpdate>, ctx: CallContext) {
    return this.tenants.update(ctx, data.tenant_id, data.changes);
  }
}
