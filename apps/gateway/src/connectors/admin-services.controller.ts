import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import {
  ConnectorsPresetList,
  ConnectorsServiceCreate,
  ConnectorsServiceDelete,
  ConnectorsServiceGet,
  ConnectorsServiceList,
  ConnectorsServiceSecretList,
  ConnectorsServiceSecretPut,
  ConnectorsServiceUpdate,
  Service,
  ServiceCreateBody,
  ServiceIdParams,
  ServicePreset,
  ServiceSecretBody,
  ServiceSecretInfo,
  ServiceSecretList,
  ServiceUpdateBody,
  type CallContext,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody, ValidParams } from '../openapi/api-route.decorator.js';
import { PROVIDER_ROUTE_TIMEOUT_MS } from './provider-timeout.js';

const TAG = 'services';
type Params = z.output<typeof ServiceIdParams>;

/**
 * docs/api.md "Third-party services": the admin registry. The connectors service checks services:manage itself;
 * credentials go to the vault and never come back, only which names are set.
 */
@Controller(`${API_PREFIX}/admin/services`)
export class AdminServicesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiRoute({
    summary: 'Registered third-party services (services:manage); credentials only as the names that are set',
    tag: TAG,
    response: z.object({ items: z.array(Service) }),
  })
  list(@Ctx() ctx: CallContext) {
    return this.rpc.request(ConnectorsServiceList, {}, ctx);
  }

  @Get('presets')
  @ApiRoute({
    summary: 'Built-in provider presets with their endpoints and quirks (extension; services:manage)',
    tag: TAG,
    response: z.object({ items: z.array(ServicePreset) }),
  })
  presets(@Ctx() ctx: CallContext) {
    return this.rpc.request(ConnectorsPresetList, {}, ctx);
  }

  @Post()
  @HttpCode(201)
  @ApiRoute({
    summary:
      'Register a service (services:manage): from a preset (`{preset, credentials: {client_id, client_secret}}` is enough for most) or by hand (authorization_url, token_url, scopes). Production demands https endpoints; local runs accept http on loopback. With the `oidc` preset the endpoints are discovered from `issuer`',
    tag: TAG,
    body: ServiceCreateBody,
    response: Service,
    status: 201,
  })
  create(@Ctx() ctx: CallContext, @ValidBody() body: z.output<typeof ServiceCreateBody>) {
    return this.rpc.request(ConnectorsServiceCreate, body, ctx, { timeoutMs: PROVIDER_ROUTE_TIMEOUT_MS });
  }

  @Get(':service_id')
  @ApiRoute({
    summary: 'One registered service (services:manage)',
    tag: TAG,
    params: ServiceIdParams,
    response: Service,
  })
  get(@Ctx() ctx: CallContext, @ValidParams() p: Params) {
    return this.rpc.request(ConnectorsServiceGet, p, ctx);
  }

  @Put(':service_id')
  @ApiRoute({
    summary: 'Change a service (services:manage); a changed issuer is discovered again',
    tag: TAG,
    params: ServiceIdParams,
    body: ServiceUpdateBody,
    response: Service,
  })
  update(@Ctx() ctx: CallContext, @ValidParams() p: Params, @ValidBody() changes: z.output<typeof ServiceUpdateBody>) {
    return this.rpc.request(ConnectorsServiceUpdate, { service_id: p.service_id, changes }, ctx, {
      timeoutMs: PROVIDER_ROUTE_TIMEOUT_MS,
    });
  }

  @Delete(':service_id')
  @ApiRoute({
    summary:
      "Delete a service (services:manage) with its pending authorizations and every connection to it; credentials, tokens and the service's data key are destroyed in the vault",
    tag: TAG,
    params: ServiceIdParams,
    response: z.object({ deleted: z.literal(true), connections_removed: z.number().int() }),
  })
  delete(@Ctx() ctx: CallContext, @ValidParams() p: Params) {
    return this.rpc.request(ConnectorsServiceDelete, p, ctx);
  }

  @Get(':service_id/secrets')
  @ApiRoute({
    summary:
      'Which service credentials are set, with version and time, and which are missing (never values; services:manage)',
    tag: TAG,
    params: ServiceIdParams,
    response: ServiceSecretList,
  })
  secrets(@Ctx() ctx: CallContext, @ValidParams() p: Params) {
    return this.rpc.request(ConnectorsServiceSecretList, p, ctx);
  }

  @Post(':service_id/secrets')
  @HttpCode(200)
  @ApiRoute({
    summary:
      'Create or update a service credential `{secret_key_name: "client_id"|"client_secret"|..., secret_value}`: sealed in the vault as a new version, audited (services:manage)',
    tag: TAG,
    params: ServiceIdParams,
    body: ServiceSecretBody,
    response: ServiceSecretInfo,
    status: 200,
  })
  putSecret(@Ctx() ctx: CallContext, @ValidParams() p: Params, @ValidBody() body: z.output<typeof ServiceSecretBody>) {
    return this.rpc.request(ConnectorsServiceSecretPut, { ...body, service_id: p.service_id }, ctx);
  }
}
