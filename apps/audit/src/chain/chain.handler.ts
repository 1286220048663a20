import { Controller } from '@nestjs/common';
import { AuditChainVerify, type CallContext, type RpcRequestParsed } from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { ChainService } from './chain.service.js';

@Controller()
export class ChainHandler {
  constructor(private readonly chains: ChainService) {}

  @RpcHandler(AuditChainVerify)
  verify(data: RpcRequestParsed<typeof AuditChainVerify>, ctx: CallContext) {
    return this.chains.verify(ctx, data);
  }
}
