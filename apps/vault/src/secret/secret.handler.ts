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
    return this.secrets.create(req, ctx);
  }

  @RpcHandler(VaultSecretList)
  list(req: RpcRequestParsed<typeof VaultSecretList>, ctx: CallContext) {
    return this.secrets.list(req, ctx);
  }

  @RpcHandler(VaultSecretMetadataGet)
  metadata(req: RpcRequestParsed<typeof VaultSecretMetadataGet>, ctx: CallContext) {
    return this.secrets.metadata(req.scope, req.secret_id, ctx);
  }

  @RpcHandler(VaultSecretGet)
  get(req: RpcRequestParsed<typeof VaultSecretGet>, ctx: CallContext) {
    return this.secrets.get(req.scope, req.secret_id, req.version, ctx);
  }

  @RpcHandler(VaultSecretUpdate)
  update(req: RpcRequestParsed<typeof VaultSecretUpdate>, ctx: CallContext) {
    return this.secrets.update(req, ctx);
  }

  @RpcHandler(VaultSecretDelete)
  async delete(req: RpcRequestParsed<typeof VaultSecretDelete>, ctx: CallContext) {
    const secret = await this.secrets.delete(req.scope, req.secret_id, req.mode, req.if_match, ctx);
    return { deleted: secret === null, secret };
  }

  @RpcHandler(VaultSecretCancelDeletion)
  cancelDeletion(req: RpcRequestParsed<typeof VaultSecretCancelDeletion>, ctx: CallContext) {
    return this.secrets.cancelDeletion(req.scope, req.secret_id, ctx);
  }
}
