import { Controller } from '@nestjs/common';
import {
  VaultSecretCancelDeletion,
  VaultSecretCreate,
  VaultSecretDelete,
  VaultSecretGet,
  VaultSecretList,
  VaultSecretMetadataGet,
  VaultSecretUpdate,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { SecretService } from './secret.service.js';

/** NATS handlers of the secret routes (both scopes). */
@Controller()
export class SecretHandler {
  constructor(private readonly secrets: SecretService) {}

  @RpcHandler(VaultSecretCreate)
  create(req: RpcRequestParsed<typeof VaultSecretCreate>, ctx: CallContext) {
    return this.secrets.create(ctx, req);
  }

  @RpcHandler(VaultSecretList)
  list(req: RpcRequestParsed<typeof VaultSecretList>, ctx: CallContext) {
    return this.secrets.list(ctx, req);
  }

  @RpcHandler(VaultSecretMetadataGet)
  metadata(req: RpcRequestParsed<typeof VaultSecretMetadataGet>, ctx: CallContext) {
    return this.secrets.metadata(ctx, req.scope, req.secret_id);
  }

  @RpcHandler(VaultSecretGet)
  get(req: RpcRequestParsed<typeof VaultSecretGet>, ctx: CallContext) {
    return this.secrets.get(ctx, req.scope, req.secret_id, req.version);
  }

  @RpcHandler(VaultSecretUpdate)
  update(req: RpcRequestParsed<typeof VaultSecretUpdate>, ctx: CallContext) {
    return this.secrets.update(ctx, req);
  }

  @RpcHandler(VaultSecretDelete)
  async delete(req: RpcRequestParsed<typeof VaultSecretDelete>, ctx: CallContext) {
    const secret = await this.secrets.delete(ctx, req.scope, req.secret_id, req.mode, req.if_match);
    return { deleted: secret === null, secret };
  }

  @RpcHandler(VaultSecretCancelDeletion)
  cancelDeletion(req: RpcRequestParsed<typeof VaultSecretCancelDeletion>, ctx: CallContext) {
    return this.secrets.cancelDeletion(ctx, req.scope, req.secret_id);
  }
}
