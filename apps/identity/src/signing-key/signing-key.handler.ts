import { Controller, Inject } from '@nestjs/common';
import {
  IdentityJwksGet,
  IdentityKeysRotate,
  IdentityMasterKeyRotate,
  IdentityMasterKeyStatus,
  type CallContext,
} from '@lockwell/contracts';
import { assertGlobalPermission, RpcHandler, SERVICE_CONFIG } from '@lockwell/service-kit';
import type { Config } from '../config.js';
import { SigningKeyRewrap } from './signing-key-rewrap.js';
import { JWT_ALGORITHM, SigningKeyService } from './signing-key.service.js';

/** The JWKS (gateways verify access tokens with it), signing-key rotation and identity's part of master-key rotation. */
@Controller()
export class SigningKeyHandler {
  constructor(
    private readonly keys: SigningKeyService,
    private readonly rewrap: SigningKeyRewrap,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
  ) {}

  @RpcHandler(IdentityJwksGet)
  async jwks() {
    return {
      keys: (await this.keys.publishedKeys()) as { kty: string; kid: string; alg: string; use: string }[],
      issuer: this.config.LOCKWELL_JWT_ISSUER,
      audience: this.config.LOCKWELL_JWT_AUDIENCE,
      algorithm: JWT_ALGORITHM,
    };
  }

  @RpcHandler(IdentityKeysRotate)
  rotate(_: unknown, ctx: CallContext) {
    return this.keys.rotateOnRequest(ctx);
  }

  /** Master-key rotation, identity's part: re-seal the signing keys under the active master key (keys:rotate). */
  @RpcHandler(IdentityMasterKeyRotate)
  masterKeyRotate(_: unknown, ctx: CallContext) {
    assertGlobalPermission(ctx, 'keys:rotate');
    return this.rewrap.rewrap(ctx);
  }

  /** Master-key rotation status, identity's part: signing keys per master key (keys:rotate). */
  @RpcHandler(IdentityMasterKeyStatus)
  masterKeyStatus(_: unknown, ctx: CallContext) {
    assertGlobalPermission(ctx, 'keys:rotate');
    return this.rewrap.status();
  }
}
