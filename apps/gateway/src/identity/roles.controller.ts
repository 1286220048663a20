import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import {
  CreateRoleBody,
  IdentityRoleCreate,
  IdentityRoleDelete,
  IdentityRoleGet,
  IdentityRoleList,
  IdentityRoleUpdate,
  Role,
  RoleIdParams,
  UpdateRoleBody,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody, ValidParams } from '../openapi/api-route.decorator.js';

@Controller(`${API_PREFIX}/roles`)
export class RolesController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @HttpCode(201)
  @ApiRoute({
    summary: 'Create a custom role (admin) with permissions from the catalogue',
    tag: 'roles',
    body: CreateRoleBody,
    response: Role,
    status: 201,
  })
  create(@Ctx() ctx: CallContext, @ValidBody() body: RpcRequestParsed<typeof IdentityRoleCreate>) {
    return this.rpc.request(IdentityRoleCreate, body, ctx);
  }

  @Get()
  @ApiRoute({
    summary: 'Built-in roles (admin, member, viewer) and custom roles, with their permissions',
    tag: 'roles',
    response: z.object({ items: z.array(Role), next_cursor: z.null() }),
  })
  list(@Ctx() ctx: CallContext) {
    return this.rpc.request(IdentityRoleList, {}, ctx);
  }

  @Get(':role_id')
  @ApiRoute({ summary: 'A role', tag: 'roles', params: RoleIdParams, response: Role })
  get(@Ctx() ctx: CallContext, @ValidParams() params: RpcRequestParsed<typeof IdentityRoleGet>) {
    return this.rpc.request(IdentityRoleGet, params, ctx);
  }

  @Put(':role_id')
  @ApiRoute({
    summary: "Change a custom role's description or permissions (admin, extension); holders' access follows at once",
    tag: 'roles',
    params: RoleIdParams,
    body: UpdateRoleBody,
    response: Role,
  })
  update(
    @Ctx() ctx: CallContext,
    @ValidParams() params: { role_id: string },
    @ValidBody() body: z.output<typeof UpdateRoleBody>,
  ) {
    return this.rpc.request(IdentityRoleUpdate, { role_id: params.role_id, changes: body }, ctx);
  }

  @Delete(':role_id')
  @HttpCode(204)
  @ApiRoute({
    summary: 'Delete a custom role (admin, extension); users holding it lose it',
    tag: 'roles',
    params: RoleIdParams,
    status: 204,
  })
  async remove(
    @Ctx() ctx: CallContext,
    @ValidParams() params: RpcRequestParsed<typeof IdentityRoleDelete>,
  ): Promise<void> {
    await this.rpc.request(IdentityRoleDelete, params, ctx);
  }
}
