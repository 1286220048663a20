import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import {
  Member,
  MemberAddBody,
  MemberListQuery,
  MemberParams,
  MemberUpdateBody,
  pageOf,
  TenantIdParams,
  TenantsMemberAdd,
  TenantsMemberList,
  TenantsMemberRemove,
  TenantsMemberUpdate,
  type CallContext,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import type { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '../openapi/api-route.decorator.js';

const TAG = 'tenants';

/** Tenant members (extension). Owners and admins (members:manage) manage them; only owners grant or revoke `owner`. */
@Controller(`${API_PREFIX}/tenants/:tenant_id/members`)
export class MembersController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiRoute({
    summary: 'Members of a tenant with their email, full name and role (extension); filter `role`',
    tag: TAG,
    params: TenantIdParams,
    query: MemberListQuery,
    response: pageOf(Member),
  })
  list(
    @Ctx() ctx: CallContext,
    @ValidParams() params: z.output<typeof TenantIdParams>,
    @ValidQuery() query: z.output<typeof MemberListQuery>,
  ) {
    return this.rpc.request(TenantsMemberList, { ...query, tenant_id: params.tenant_id }, ctx);
  }

  @Post()
  @HttpCode(201)
  @ApiRoute({
    summary:
      'Add an existing user, by `user_id` or by `email` (exactly one), with a role: owner, admin, member, viewer or a custom role id (extension); 404 USER_NOT_FOUND / ROLE_NOT_FOUND, 409 ALREADY_MEMBER',
    tag: TAG,
    params: TenantIdParams,
    body: MemberAddBody,
    response: Member,
    status: 201,
  })
  add(
    @Ctx() ctx: CallContext,
    @ValidParams() params: z.output<typeof TenantIdParams>,
    @ValidBody() body: z.output<typeof MemberAddBody>,
  ) {
    return this.rpc.request(TenantsMemberAdd, { ...body, tenant_id: params.tenant_id }, ctx);
  }

  @Put(':user_id')
  @ApiRoute({
    summary: "Change a member's role (extension); 409 LAST_OWNER when it would leave the tenant without an owner",
    tag: TAG,
    params: MemberParams,
    body: MemberUpdateBody,
    response: Member,
  })
  update(
    @Ctx() ctx: CallContext,
    @ValidParams() params: z.output<typeof MemberParams>,
    @ValidBody() body: z.output<typeof MemberUpdateBody>,
  ) {
    return this.rpc.request(TenantsMemberUpdate, { ...body, ...params }, ctx);
  }

  @Delete(':user_id')
  @HttpCode(204)
  @ApiRoute({
    summary: 'Remove a member, or leave the tenant (your own user id) (extension); 409 LAST_OWNER for the last owner',
    tag: TAG,
    params: MemberParams,
    status: 204,
  })
  async remove(@Ctx() ctx: CallContext, @ValidParams() params: z.output<typeof MemberParams>) {
    await this.rpc.request(TenantsMemberRemove, params, ctx);
  }
}
