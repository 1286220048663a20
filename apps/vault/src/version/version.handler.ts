import { Controller } from '@nestjs/common';
import { VaultVersionList, VaultVersionRollback, type CallContext, type RpcRequestParsed } from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { VersionService } from './version.service.js';

@Controller()
export class VersionHandler {
  constructor(private readonly versions: VersionService) {}

  @RpcHandler(VaultVersionList)
  list(req: RpcRequestParsed<typeof VaultVersionList>, ctx: CallContext) {
    return this.versions.list(ctx, req.scope, req.secret_id, req.limit, req.cursor);
  }

  @RpcHandler(VaultVersionRollback)
  rollback(req: RpcRequestParsed<typeof VaultVersionRollback>, ctx: CallContext) {
    return this.versions.rollback(ctx, req.scope, req.secret_id, req.version, req.if_match);
  }
}
