import { Controller } from '@nestjs/common';
import { TenantsTenantDelete, type CallContext, type RpcRequestParsed } from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { TenantDeletionService } from './tenant-deletion.service.js';

@Controller()
export class TenantDeletionHandler {
  constructor(private readonly deletion: TenantDeletionService) {}

  /** Deleting a tenant starts the deletion saga; the tenant answers `deleting` until every participant purged. */
  @RpcHandler(TenantsTenantDelete)
  delete(data: RpcRequestParsed<typeof TenantsTenantDelete>, ctx: CallContext) {
    return this.deletion.start(ctx, data.tenant_id);
  }
}
