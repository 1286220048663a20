import { Controller, Inject } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { IdentityAccessGet, IdentityJwksGet, IdentityKeysRotate, IdentityMasterKeyRotate, IdentityMasterKeyStatus, IdentityUserLookup, type CallContext, type RpcRequestParsed } from '@lockwell/contracts';
import { assertGlobalPermission, Outbox, RpcHandler } from '@lockwell/service-kit';
import { IDENTITY_CONFIG } from '../identity.tokens.js';
import type { Config } from '../config.js';
import { JWT_ALGORITHM, SigningKeyService } from '../signing-key/signing-key.service.js';
import { SigningKeyRewrap } from '../signing-key/signing-key-rewrap.js';
import { AccessService } from './access.service.js';

/**
 * What other processes need from identity: a user's standing and public facts (principal resolution,
 * member lists), the JWKS, signing-key rotation and identity's part of master-key rotation. The lookups answer system callers (gateway, services), which
 * reach them only with NATS credentials allowed on identity subjects.
 */
@Controller()
export class AccessHandler {
  constructor(
    private readonly em: EntityManager,
    @Inject(AccessService) private readonly access: AccessService,
    @Inject(SigningKeyService) private readonly keys: SigningKeyService,
    @Inject(SigningKeyRewrap) private readonly rewrap: SigningKeyRewrap,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(IDENTITY_CONFIG) private readonly config: Config,
  ) {}

  @RpcHandler(IdentityAccessGet)
  get(data: RpcRequestParsed<typeof IdentityAccessGet>) {
    return this.access.access(data.user_id);
  }

  @RpcHandler(IdentityUserLookup)
  async lookup(data: RpcRequestParsed<typeof IdentityUserLookup>) {
    return { users: await this.access.lookup(data.user_ids, data.emails ?? []) };
  }

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
  async rotate(_: unknown, ctx: CallContext) {
    assertGlobalPermission(ctx, 'keys:rotate');
    const rotated = await this.keys.rotate();
    await this.em.transactional(async (tx) => {
      this.outbox.audit(tx, ctx, { action: 'signing_key.rotate', resourceType: 'signing_key', resourceId: rotated.kid, tenantId: null, detail: { previous_kid: rotated.previousKid } });
    });
    return { kid: rotated.kid, previous_kid: rotated.previousKid, previous_published_until: rotated.previousPublishedUntil?.toISOString() ?? null };
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
