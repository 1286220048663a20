import { Controller } from '@nestjs/common';
import {
  VaultMasterKeyRotate,
  VaultMasterKeyStatus,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { assertGlobalPermission, RpcHandler } from '@lockwell/service-kit';
import { MasterKeyRotation } from './master-key-rotation.service.js';

@Controller()
export class MasterKeyHandler {
  constructor(private readonly rotation: MasterKeyRotation) {}

  /** Installation admins with keys:rotate re-wrap every data key under the active master key. */
  @RpcHandler(VaultMasterKeyRotate)
  rotate(req: RpcRequestParsed<typeof VaultMasterKeyRotate>, ctx: CallContext) {
    assertGlobalPermission(ctx, 'keys:rotate');
    return this.rotation.rewrap(ctx, { batchSize: req.batch_size });
  }

  @RpcHandler(VaultMasterKeyStatus)
  status(_: unknown, ctx: CallContext) {
    assertGlobalPermission(ctx, 'keys:rotate');
    return this.rotation.status();
  }
}
