import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import {
  pageOf,
  Tenant,
  TenantCreateBody,
  TenantIdParams,
  TenantListQuery,
  TenantsTenantCreate,
  TenantsTenantDelete,
  TenantsTenantGet,
  TenantsTenantList,
  TenantsTenantUpdate,
  TenantUpdateBody,
  type CallContext,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import type { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '../openapi/api-route.decorator.js';

const TAG = 'tenants';

/** docs/api.md "Tenants". The tenants service authorises every call from the caller's membership. */
@Controller(`${API_PREFIX}/tenants`)
export class TenantsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiRoute({
    summary:
      'Tenants the caller belongs to; installation admins (tenants:read-all) see all (`scope=all`, their default, or `scope=mine`). Filters: `q` (name or slug), `status`',
    tag: TAG,
    query: TenantListQuery,
    response: pageOf(Tenant),
  })
  list(@Ctx() ctx: CallContext, @ValidQuery() query: z.output<typeof TenantListQuery>) {
    return this.rpc.request(TenantsTenantList, query, ctx);
  }

  @Post()
  @HttpCode(201)
  @ApiRoute({
    summary:
      'Create a tenant; the caller becomes its owner. The slug is generated from the name when omitted (409 SLUG_TAKEN if a given slug is taken)',
    tag: TAG,
    body: TenantCreateBody,
    response: Tenant,
    status: 201,
  })
  create(@Ctx() ctx: CallContext, @ValidBody() body: z.output<typeof TenantCreateBody>) {
    return this.rpc.request(TenantsTenantCreate, body, ctx);
  }

  @Get(':tenant_id')
  @ApiRoute({
    summary:
      'A tenant the caller belongs to (404 TENANT_NOT_FOUND otherwise); `status` is `deleting` while its deletion runs',
    tag: TAG,
    params: TenantIdParams,
    response: Tenant,
  })
  get(@Ctx() ctx: CallContext, @ValidParams() params: z.output<typeof TenantIdParams>) {
    return this.rpc.request(TenantsTenantGet, params, ctx);
  }

  @Put(':tenant_id')
  @ApiRoute({
    summary: 'Update name, slug or description (owners and admins: tenant:update); 409 TENANT_DELETING during deletion',
    tag: TAG,
    params: TenantIdParams,
    body: TenantUpdateBody,
    response: Tenant,
  })
  update(
    @Ctx() ctx: CallContext,
    @ValidParams() params: z.output<typeof TenantIdParams>,
    @ValidBody() changes: z.output<typeof TenantUpdateBody>,
  ) {
    return this.rpc.request(TenantsTenantUpdate, { tenant_id: params.tenant_id, changes }, ctx);
  }

  @Delete(':tenant_id')
  @HttpCode(202)
  @ApiRoute({
    summary:
      'Delete a tenant (owners: tenant:delete). 202 Accepted: the tenant answers with status `deleting`, refuses writes, and its secrets, data key (crypto-shredding), connections and webhooks are purged; once every service confirmed, the tenant is gone (404)',
    tag: TAG,
    params: TenantIdParams,
    response: Tenant,
    status: 202,
  })
  delete(@Ctx() ctx: CallContext, @ValidParams() params: z.output<typeof TenantIdParams>) {
    return this.rpc.request(TenantsTenantDelete, params, ctx);
  }
}
