import { Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiToken,
  CreateApiTokenBody,
  CreatedApiToken,
  IdentityApiTokenCreate,
  IdentityApiTokenGet,
  IdentityApiTokenList,
  IdentityApiTokenRevoke,
  IdentitySessionList,
  IdentitySessionRevoke,
  Session,
  SessionIdParams,
  TokenIdParams,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody, ValidParams } from '../openapi/api-route.decorator.js';
import { RevokedSessions } from '../auth/revoked-sessions.js';
import { PrincipalResolver } from '../auth/principal.resolver.js';

@Controller(`${API_PREFIX}/tokens`)
export class TokensController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly revoked: RevokedSessions,
    private readonly principals: PrincipalResolver,
  ) {}

  @Get('sessions')
  @ApiRoute({
    summary: "The caller's active sessions (`current` marks this one)",
    tag: 'tokens',
    response: z.object({ items: z.array(Session), next_cursor: z.null() }),
  })
  sessions(@Ctx() ctx: CallContext) {
    return this.rpc.request(IdentitySessionList, {}, ctx);
  }

  @Delete('sessions/:session_id')
  @HttpCode(204)
  @ApiRoute({
    summary: "Revoke a session (extension): one's own, or anyone's for an admin; its access tokens stop working",
    tag: 'tokens',
    params: SessionIdParams,
    status: 204,
  })
  async revokeSession(
    @Ctx() ctx: CallContext,
    @ValidParams() params: RpcRequestParsed<typeof IdentitySessionRevoke>,
  ): Promise<void> {
    await this.rpc.request(IdentitySessionRevoke, params, ctx);
    this.revoked.add([params.session_id], new Date());
  }

  @Post('api')
  @HttpCode(201)
  @ApiRoute({
    summary:
      'Create a machine API token (extension). The `token` is shown only in this response; permissions must be held by the caller; expiry defaults to 1 hour.',
    tag: 'tokens',
    body: CreateApiTokenBody,
    response: CreatedApiToken,
    status: 201,
  })
  create(@Ctx() ctx: CallContext, @ValidBody() body: RpcRequestParsed<typeof IdentityApiTokenCreate>) {
    return this.rpc.request(IdentityApiTokenCreate, body, ctx);
  }

  @Get('api')
  @ApiRoute({
    summary: "The caller's API tokens (never their values)",
    tag: 'tokens',
    response: z.object({ items: z.array(ApiToken), next_cursor: z.null() }),
  })
  list(@Ctx() ctx: CallContext) {
    return this.rpc.request(IdentityApiTokenList, {}, ctx);
  }

  @Get('api/:token_id')
  @ApiRoute({
    summary: "One of the caller's API tokens (never its value)",
    tag: 'tokens',
    params: TokenIdParams,
    response: ApiToken,
  })
  get(@Ctx() ctx: CallContext, @ValidParams() params: RpcRequestParsed<typeof IdentityApiTokenGet>) {
    return this.rpc.request(IdentityApiTokenGet, params, ctx);
  }

  @Delete('api/:token_id')
  @HttpCode(204)
  @ApiRoute({
    summary: 'Revoke an API token (its owner, or an admin)',
    tag: 'tokens',
    params: TokenIdParams,
    status: 204,
  })
  async revoke(
    @Ctx() ctx: CallContext,
    @ValidParams() params: RpcRequestParsed<typeof IdentityApiTokenRevoke>,
  ): Promise<void> {
    await this.rpc.request(IdentityApiTokenRevoke, params, ctx);
    this.principals.grants.deleteWhere((g) => g?.token_id === params.token_id);
  }
}
