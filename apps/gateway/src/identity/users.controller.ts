import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import {
  ChangePasswordBody,
  CreateUserBody,
  IdentityPasswordChange,
  IdentitySessionRevokeAll,
  IdentityUserCreate,
  IdentityUserDelete,
  IdentityUserGet,
  IdentityUserList,
  IdentityUserMe,
  IdentityUserUpdate,
  pageOf,
  UpdateUserBody,
  User,
  UserIdParams,
  UserListQuery,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '../openapi/api-route.decorator.js';
import { PrincipalResolver } from '../auth/principal.resolver.js';

@Controller(`${API_PREFIX}/users`)
export class UsersController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly principals: PrincipalResolver,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiRoute({
    summary: 'Create a user (admin). `roles` takes role ids or names (default: member).',
    tag: 'users',
    body: CreateUserBody,
    response: User,
    status: 201,
  })
  create(@Ctx() ctx: CallContext, @ValidBody() body: RpcRequestParsed<typeof IdentityUserCreate>) {
    return this.rpc.request(IdentityUserCreate, body, ctx);
  }

  @Get()
  @ApiRoute({
    summary: 'List users (admin), oldest first; filters `email` (exact, case-insensitive) and `status`',
    tag: 'users',
    query: UserListQuery,
    response: pageOf(User),
  })
  list(@Ctx() ctx: CallContext, @ValidQuery() query: RpcRequestParsed<typeof IdentityUserList>) {
    return this.rpc.request(IdentityUserList, query, ctx);
  }

  @Get('me')
  @ApiRoute({ summary: 'The caller', tag: 'users', response: User })
  me(@Ctx() ctx: CallContext) {
    return this.rpc.request(IdentityUserMe, {}, ctx);
  }

  @Post('me/password')
  @HttpCode(204)
  @ApiRoute({
    summary:
      "Change the caller's password (extension): `current_password` is required; every other session of the caller ends",
    tag: 'users',
    body: ChangePasswordBody,
    status: 204,
  })
  async changePassword(
    @Ctx() ctx: CallContext,
    @ValidBody() body: RpcRequestParsed<typeof IdentityPasswordChange>,
  ): Promise<void> {
    await this.rpc.request(IdentityPasswordChange, body, ctx);
  }

  @Get(':user_id')
  @ApiRoute({ summary: 'A user (admin, or the caller themselves)', tag: 'users', params: UserIdParams, response: User })
  get(@Ctx() ctx: CallContext, @ValidParams() params: RpcRequestParsed<typeof IdentityUserGet>) {
    return this.rpc.request(IdentityUserGet, params, ctx);
  }

  @Put(':user_id')
  @ApiRoute({
    summary:
      'Change a user (admin, extension): full_name, roles, status. Disabling ends every session and refuses their tokens at once.',
    tag: 'users',
    params: UserIdParams,
    body: UpdateUserBody,
    response: User,
  })
  async update(
    @Ctx() ctx: CallContext,
    @ValidParams() params: { user_id: string },
    @ValidBody() body: z.output<typeof UpdateUserBody>,
  ) {
    const user = await this.rpc.request(IdentityUserUpdate, { user_id: params.user_id, changes: body }, ctx);
    this.principals.standings.delete(params.user_id);
    return user;
  }

  @Delete(':user_id')
  @HttpCode(204)
  @ApiRoute({
    summary:
      'Delete a user (admin, extension). Their sessions and API tokens stop working at once; within seconds the vault crypto-shreds their personal secrets and tenants removes their memberships. Needs users:manage and every global permission the user holds (403 otherwise); refused with 409 INVALID_STATE for yourself and the last active administrator, and with 409 LAST_OWNER while the user is the only owner of a tenant (details name the tenants).',
    tag: 'users',
    params: UserIdParams,
    status: 204,
  })
  async remove(
    @Ctx() ctx: CallContext,
    @ValidParams() params: RpcRequestParsed<typeof IdentityUserDelete>,
  ): Promise<void> {
    await this.rpc.request(IdentityUserDelete, params, ctx);
    // This replica forgets the user before answering; the others on UserChanged / ApiTokenRevoked.
    this.principals.standings.delete(params.user_id);
    this.principals.grants.deleteWhere((g) => g?.user_id === params.user_id);
  }

  @Delete(':user_id/sessions')
  @ApiRoute({
    summary: 'End every session of a user (admin, extension)',
    tag: 'users',
    params: UserIdParams,
    response: z.object({ revoked_sessions: z.number().int() }),
  })
  revokeSessions(@Ctx() ctx: CallContext, @ValidParams() params: RpcRequestParsed<typeof IdentitySessionRevokeAll>) {
    return this.rpc.request(IdentitySessionRevokeAll, params, ctx);
  }
}
