import { Controller } from '@nestjs/common';
import { VaultUsageList, type CallContext, type RpcRequestParsed } from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { UsageService } from './usage.service.js';

@Controller()
export class UsageHandler {
  constructor(private readonly usage: UsageService) {}

  @RpcHandler(VaultUsageList)
  list(req: RpcRequestParsed<typeof VaultUsageList>, ctx: CallContext) {
    return this.usage.list(ctx, req.scope, req.secret_id, req.limit, req.cursor);
  }
}
