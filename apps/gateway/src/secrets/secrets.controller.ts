import { Controller, Delete, Get, Headers, HttpCode, Post, Put, Res, type Type } from '@nestjs/common';
import {
  CreateTenantSecretBody,
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
  TenantSecretListQuery,
  UpdateSecretBody,
  UserSecretListQuery,
  VaultSecretCancelDeletion,
  VaultSecretCreate,
  VaultSecretDelete,
  VaultSecretGet,
  VaultSecretList,
  VaultSecretMetadataGet,
  VaultSecretUpdate,
  VaultUsageList,
  VaultVersionList,
  VaultVersionRollback,
  type CallContext,
  type SecretScope,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '../openapi/api-route.decorator.js';

const Page = PageQuery.strict();
type Params = z.output<typeof SecretIdParams>;

interface ScopeRoutes {
  scope: SecretScope;
  /** The collection, also the OpenAPI tag. */
  path: 'user-secrets' | 'tenant-secrets';
  listQuery: typeof UserSecretListQuery | typeof TenantSecretListQuery;
  createBody: typeof CreateUserSecretBody | typeof CreateTenantSecretBody;
  listSummary: string;
  createSummary: string;
}

/** The value response: ETag is the version shown (docs/api.md "Concurrency"). */
function withEtag(reply: FastifyReply, secret: SecretWithValue): SecretWithValue {
  void reply.header('ETag', `"${secret.version}"`);
  return secret;
}

/**
 * docs/api.md "Secrets": /user-secrets and /tenant-secrets share one shape, so one controller definition serves
 * both; the scope travels with every call and keeps the two id spaces apart. The vault authorises each call.
 */
function secretsControllerFor(spec: ScopeRoutes): Type<unknown> {
  const { scope, path: tag } = spec;

  @Controller(`${API_PREFIX}/${spec.path}`)
  class SecretsController {
    constructor(readonly rpc: RpcClient) {}

    @Get()
    @ApiRoute({ summary: spec.listSummary, tag, query: spec.listQuery, response: SecretPage })
    list(@Ctx() ctx: CallContext, @ValidQuery() query: z.output<ScopeRoutes['listQuery']>) {
      return this.rpc.request(VaultSecretList, { ...query, scope }, ctx);
    }

    @Post()
    @HttpCode(201)
    @ApiRoute({ summary: spec.createSummary, tag, body: spec.createBody, response: SecretWithValue, status: 201 })
    create(@Ctx() ctx: CallContext, @ValidBody() body: z.output<ScopeRoutes['createBody']>) {
      return this.rpc.request(VaultSecretCreate, { ...body, scope } as never, ctx);
    }

    @Get(':secret_id')
    @ApiRoute({
      summary:
        'Metadata + secret_value (+ data for typed secrets); records an access and reactivates an inactive secret; `?version=N` reads an old version; ETag is the version',
      tag,
      params: SecretIdParams,
      query: SecretGetQuery,
      response: SecretWithValue,
    })
    async get(
      @Ctx() ctx: CallContext,
      @ValidParams() p: Params,
      @ValidQuery() q: z.output<typeof SecretGetQuery>,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      return withEtag(
        reply,
        await this.rpc.request(VaultSecretGet, { scope, secret_id: p.secret_id, version: q.version }, ctx),
      );
    }

    @Get(':secret_id/metadata')
    @ApiRoute({
      summary:
        'Metadata of one secret without its value (extension): not a read, so no access record and no reactivation',
      tag,
      params: SecretIdParams,
      response: SecretMetadata,
    })
    metadata(@Ctx() ctx: CallContext, @ValidParams() p: Params) {
      return this.rpc.request(VaultSecretMetadataGet, { scope, secret_id: p.secret_id }, ctx);
    }

    @Put(':secret_id')
    @ApiRoute({
      summary:
        'Update value and/or metadata; a new value makes a new version; honours If-Match (412 PRECONDITION_FAILED)',
      tag,
      params: SecretIdParams,
      body: UpdateSecretBody,
      response: SecretWithValue,
    })
    async update(
      @Ctx() ctx: CallContext,
      @ValidParams() p: Params,
      @ValidBody() body: z.output<typeof UpdateSecretBody>,
      @Headers('if-match') ifMatch: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      return withEtag(
        reply,
        await this.rpc.request(
          VaultSecretUpdate,
          { ...body, scope, secret_id: p.secret_id, if_match: ifMatch } as never,
          ctx,
        ),
      );
    }

    @Delete(':secret_id')
    @ApiRoute({
      summary:
        '`?mode=now` (default; irreversible, 204) or `?mode=schedule` (deletion in 30 days, 200 with the secret); honours If-Match',
      tag,
      params: SecretIdParams,
      query: SecretDeleteQuery,
      response: SecretMetadata,
    })
    async delete(
      @Ctx() ctx: CallContext,
      @ValidParams() p: Params,
      @ValidQuery() q: z.output<typeof SecretDeleteQuery>,
      @Headers('if-match') ifMatch: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      const result = await this.rpc.request(
        VaultSecretDelete,
        { scope, secret_id: p.secret_id, mode: q.mode, if_match: ifMatch },
        ctx,
      );
      if (!result.deleted) return SecretMetadata.parse(result.secret);
      void reply.status(204);
      return undefined;
    }

    @Post(':secret_id/cancel-deletion')
    @HttpCode(200)
    @ApiRoute({
      summary: 'Cancel a scheduled deletion: back to active (extension)',
      tag,
      params: SecretIdParams,
      response: SecretMetadata,
      status: 200,
    })
    cancelDeletion(@Ctx() ctx: CallContext, @ValidParams() p: Params) {
      return this.rpc.request(VaultSecretCancelDeletion, { scope, secret_id: p.secret_id }, ctx);
    }

    @Get(':secret_id/versions')
    @ApiRoute({
      summary: 'Version list, newest first, metadata only (extension)',
      tag,
      params: SecretIdParams,
      query: Page,
      response: SecretVersionPage,
    })
    versions(@Ctx() ctx: CallContext, @ValidParams() p: Params, @ValidQuery() q: z.output<typeof Page>) {
      return this.rpc.request(VaultVersionList, { scope, secret_id: p.secret_id, ...q }, ctx);
    }

    @Post(':secret_id/rollback')
    @HttpCode(200)
    @ApiRoute({
      summary: "`{version}` -> a new version holding that version's value (extension)",
      tag,
      params: SecretIdParams,
      body: RollbackBody,
      response: SecretWithValue,
      status: 200,
    })
    async rollback(
      @Ctx() ctx: CallContext,
      @ValidParams() p: Params,
      @ValidBody() body: z.output<typeof RollbackBody>,
      @Headers('if-match') ifMatch: string | undefined,
      @Res({ passthrough: true }) reply: FastifyReply,
    ) {
      return withEtag(
        reply,
        await this.rpc.request(
          VaultVersionRollback,
          { scope, secret_id: p.secret_id, version: body.version, if_match: ifMatch },
          ctx,
        ),
      );
    }

    @Get(':secret_id/usage')
    @ApiRoute({
      summary: 'Where used: users and API tokens that read the secret, with last access and count (extension)',
      tag,
      params: SecretIdParams,
      query: Page,
      response: SecretUsagePage,
    })
    usage(@Ctx() ctx: CallContext, @ValidParams() p: Params, @ValidQuery() q: z.output<typeof Page>) {
      return this.rpc.request(VaultUsageList, { scope, secret_id: p.secret_id, ...q }, ctx);
    }
  }
  Object.defineProperty(SecretsController, 'name', {
    value: spec.scope === 'user' ? 'UserSecretsController' : 'TenantSecretsController',
  });
  return SecretsController;
}

export const UserSecretsController = secretsControllerFor({
  scope: 'user',
  path: 'user-secrets',
  listQuery: UserSecretListQuery,
  createBody: CreateUserSecretBody,
  listSummary:
    'Personal secrets of the caller, metadata only; filters service_name, type, environment, status, expiring_before, q; keyset paging',
  createSummary:
    'Create a personal secret (generic: secret_value; typed: type + data) -> 201 with the value; 409 SECRET_ALREADY_EXISTS on a duplicate name',
});

export const TenantSecretsController = secretsControllerFor({
  scope: 'tenant',
  path: 'tenant-secrets',
  listQuery: TenantSecretListQuery,
  createBody: CreateTenantSecretBody,
  listSummary:
    'Secrets of a tenant (`tenant_id` required), metadata only, limited to the environments the caller may see; filters service_name, type, environment, status, expiring_before, q; keyset paging',
  createSummary:
    'Create a tenant secret (`tenant_id` in the body; secrets:write in its environment) -> 201 with the value; 409 SECRET_ALREADY_EXISTS on a duplicate name',
});
