import { Controller, Inject } from '@nestjs/common';
import {
  IdentityApiTokenCreate,
  IdentityApiTokenGet,
  IdentityApiTokenList,
  IdentityApiTokenRevoke,
  IdentityApiTokenVerify,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { ApiTokenService } from './api-token.service.js';

@Controller()
export class ApiTokenHandler {
  constructor(@Inject(ApiTokenService) private readonly tokens: ApiTokenService) {}

  @RpcHandler(IdentityApiTokenCreate)
  create(data: RpcRequestParsed<typeof IdentityApiTokenCreate>, ctx: CallContext) {
    return this.tokens.create(ctx, data);
  }

  @RpcHandler(IdentityApiTokenList)
  async list(_: unknown, ctx: CallContext) {
    return { items: await this.tokens.list(ctx), next_cursor: null };
  }

  @RpcHandler(IdentityApiTokenGet)
  get(data: RpcRequestParsed<typeof IdentityApiTokenGet>, ctx: CallContext) {
    return this.tokens.get(ctx, data.token_id);
  }

  @RpcHandler(IdentityApiTokenRevoke)
  async revoke(data: RpcRequestParsed<typeof IdentityApiTokenRevoke>, ctx: CallContext) {
    await this.tokens.revoke(ctx, data.token_id);
    return { ok: true as const };
  }

  /** Internal: the gateway resolves `Bearer lw_...` by the token's hash. */
  @RpcHandler(IdentityApiTokenVerify)
  async verify(data: RpcRequestParsed<typeof IdentityApiTokenVerify>) {
    return { grant: await this.tokens.verify(data.token_hash) };
  }
}
