import type { CallContext, SecretScope } from '@lockwell/contracts';
import {
  SecretMetadata,
  VaultSecretCancelDeletion,
  VaultSecretDelete,
  VaultSecretGet,
  VaultSecretUpdate,
  VaultUsageList,
  VaultVersionList,
  VaultVersionRollback,
  type SecretWithValue,
} from '@lockwell/contracts';
import type { RpcClient } from '@lockwell/service-kit';
import type { FastifyReply } from 'fastify';

/** The by-id operations shared by /user-secrets and /tenant-secrets; the scope keeps the two id spaces apart. */
export class SecretRoutes {
  constructor(
    private readonly rpc: RpcClient,
    private readonly scope: SecretScope,
  ) {}

  /** The value response: ETag is the version shown (API.md "Concurrency"). */
  withEtag(reply: FastifyReply, secret: SecretWithValue): SecretWithValue {
    void reply.header('ETag', `"${secret.version}"`);
    return secret;
  }

  async get(id: string, version: number | undefined, ctx: CallContext, reply: FastifyReply) {
    return this.withEtag(reply, await this.rpc.request(VaultSecretGet, { scope: this.scope, secret_id: id, version }, ctx));
  }

  async update(id: string, changes: Record<string, unknown>, ifMatch: string | undefined, ctx: CallContext, reply: FastifyReply) {
    return this.withEtag(reply, await this.rpc.request(VaultSecretUpdate, { ...changes, scope: this.scope, secret_id: id, if_match: ifMatch } as never, ctx));
  }

  /** mode=now: 204 and nothing; mode=schedule: 200 with the secret's new status and deletion date. */
  async delete(id: string, mode: 'now' | 'schedule', ifMatch: string | undefined, ctx: CallContext, reply: FastifyReply) {
    const result = await this.rpc.request(VaultSecretDelete, { scope: this.scope, secret_id: id, mode, if_match: ifMatch }, ctx);
    if (result.deleted) {
      void reply.status(204);
      return undefined;
    }
    return SecretMetadata.parse(result.secret);
  }

  cancelDeletion(id: string, ctx: CallContext) {
    return this.rpc.request(VaultSecretCancelDeletion, { scope: this.scope, secret_id: id }, ctx);
  }

  versions(id: string, page: { limit: number; cursor?: string }, ctx: CallContext) {
    return this.rpc.request(VaultVersionList, { scope: this.scope, secret_id: id, ...page }, ctx);
  }

  async rollback(id: string, version: number, ifMatch: string | undefined, ctx: CallContext, reply: FastifyReply) {
    return this.withEtag(reply, await this.rpc.request(VaultVersionRollback, { scope: this.scope, secret_id: id, version, if_match: ifMatch }, ctx));
  }

  usage(id: string, page: { limit: number; cursor?: string }, ctx: CallContext) {
    return this.rpc.request(VaultUsageList, { scope: this.scope, secret_id: id, ...page }, ctx);
  }
}
