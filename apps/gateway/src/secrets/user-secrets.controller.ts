import { Controller, Delete, Get, Headers, HttpCode, Post, Put, Res } from '@nestjs/common';
import {
  CreateUserSecretBody,
  PageQuery,
  RollbackBody,
  SecretDeleteQuery,
  SecretGetQuery,
  SecretIdParams,
  SecretMetadata,
  SecretPage,
  SecretUsagePage,
  SecretVersionPage,
  SecretWithValue,
  UserSecretListQuery,
  UpdateSecretBody,
  VaultSecretCreate,
  VaultSecretList,
  type CallContext,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '../openapi/api-route.decorator.js';
import { SecretRoutes } from './secret-routes.js';

const TAG = 'user-secrets';
const Page = PageQuery.strict();

/** API.md "Secrets": the caller's personal secrets. The vault authorises every call itself. */
@Controller(`${API_PREFIX}/user-secrets`)
export class UserSecretsController {
  private readonly routes: SecretRoutes;

  constructor(private readonly rpc: RpcClient) {
    this.routes = new SecretRoutes(rpc, 'user');
  }

  @Get()
  @ApiRoute({ summary: 'Personal secrets of the caller, metadata only; filters service_name, type, environment, status, expiring_before, q; keyset paging', tag: TAG, query: UserSecretListQuery, response: SecretPage })
  list(@ValidQuery() query: z.output<typeof UserSecretListQuery>, @Ctx() ctx: CallContext) {
    return this.rpc.request(VaultSecretList, { ...query, scope: 'user' }, ctx);
  }

  @Post()
  @HttpCode(201)
  @ApiRoute({ summary: 'Create a personal secret (generic: secret_value; typed: type + data) -> 201 with the value; 409 SECRET_ALREADY_EXISTS on a duplicate name', tag: TAG, body: CreateUserSecretBody, response: SecretWithValue, status: 201 })
  create(@ValidBody() body: z.output<typeof CreateUserSecretBody>, @Ctx() ctx: CallContext) {
    return this.rpc.request(VaultSecretCreate, { ...body, scope: 'user' }, ctx);
  }

  @Get(':secret_id')
  @ApiRoute({ summary: 'Metadata + secret_value (+ data for typed secrets); records an access and reactivates an inactive secret; `?version=N` reads an old version; ETag is the version', tag: TAG, params: SecretIdParams, query: SecretGetQuery, response: SecretWithValue })
  get(@ValidParams() p: z.output<typeof SecretIdParams>, @ValidQuery() q: z.output<typeof SecretGetQuery>, @Ctx() ctx: CallContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.routes.get(p.secret_id, q.version, ctx, reply);
  }

  @Put(':secret_id')
  @ApiRoute({ summary: 'Update value and/or metadata; a new value makes a new version; honours If-Match (412 PRECONDITION_FAILED)', tag: TAG, params: SecretIdParams, body: UpdateSecretBody, response: SecretWithValue })
  update(@ValidParams() p: z.output<typeof SecretIdParams>, @ValidBody() body: z.output<typeof UpdateSecretBody>, @Headers('if-match') ifMatch: string | undefined, @Ctx() ctx: CallContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.routes.update(p.secret_id, body, ifMatch, ctx, reply);
  }

  @Delete(':secret_id')
  @ApiRoute({ summary: '`?mode=now` (default; irreversible, 204) or `?mode=schedule` (deletion in 30 days, 200 with the secret); honours If-Match', tag: TAG, params: SecretIdParams, query: SecretDeleteQuery, response: SecretMetadata })
  delete(@ValidParams() p: z.output<typeof SecretIdParams>, @ValidQuery() q: z.output<typeof SecretDeleteQuery>, @Headers('if-match') ifMatch: string | undefined, @Ctx() ctx: CallContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.routes.delete(p.secret_id, q.mode, ifMatch, ctx, reply);
  }

  @Post(':secret_id/cancel-deletion')
  @HttpCode(200)
  @ApiRoute({ summary: 'Cancel a scheduled deletion: back to active (extension)', tag: TAG, params: SecretIdParams, response: SecretMetadata, status: 200 })
  cancelDeletion(@ValidParams() p: z.output<typeof SecretIdParams>, @Ctx() ctx: CallContext) {
    return this.routes.cancelDeletion(p.secret_id, ctx);
  }

  @Get(':secret_id/versions')
  @ApiRoute({ summary: 'Version list, newest first, metadata only (extension)', tag: TAG, params: SecretIdParams, query: Page, response: SecretVersionPage })
  versions(@ValidParams() p: z.output<typeof SecretIdParams>, @ValidQuery() q: z.output<typeof Page>, @Ctx() ctx: CallContext) {
    return this.routes.versions(p.secret_id, q, ctx);
  }

  @Post(':secret_id/rollback')
  @HttpCode(200)
  @ApiRoute({ summary: '`{version}` -> a new version holding that version\'s value (extension)', tag: TAG, params: SecretIdParams, body: RollbackBody, response: SecretWithValue, status: 200 })
  rollback(@ValidParams() p: z.output<typeof SecretIdParams>, @ValidBody() body: z.output<typeof RollbackBody>, @Headers('if-match') ifMatch: string | undefined, @Ctx() ctx: CallContext, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.routes.rollback(p.secret_id, body.version, ifMatch, ctx, reply);
  }

  @Get(':secret_id/usage')
  @ApiRoute({ summary: 'Where used: users and API tokens that read the secret, with last access and count (extension)', tag: TAG, params: SecretIdParams, query: Page, response: SecretUsagePage })
  usage(@ValidParams() p: z.output<typeof SecretIdParams>, @ValidQuery() q: z.output<typeof Page>, @Ctx() ctx: CallContext) {
    return this.routes.usage(p.secret_id, q, ctx);
  }
}
