import { Injectable } from '@nestjs/common';
import {
  VaultConnectorSecretDelete,
  VaultConnectorSecretList,
  VaultConnectorSecretOpen,
  VaultConnectorSecretPut,
  type CallContext,
  type ConnectorSecretScope,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import { StoredTokens } from '../tokens/stored-tokens.js';

/** A connection as the store needs it: whose data key seals its tokens, and what they are bound to. */
export interface TokenOwner {
  id: string;
  service_id: string;
  user_id: string;
  tenant_id: string | null;
}

// One item per connection: the whole token set as one JSON document, so access and refresh token change together.
const TOKENS = 'tokens';
// Credentials keep some history (who set which version is in the audit); tokens only their newest version.
const CREDENTIAL_VERSIONS_KEPT = 10;

const scopeOf = (c: TokenOwner): ConnectorSecretScope =>
  c.tenant_id ? { type: 'tenant', id: c.tenant_id } : { type: 'user', id: c.user_id };

/**
 * Everything secret the connectors service holds lives in the vault (docs/connectors.md "Storage"): service
 * credentials under the service's own data key, connection tokens under the data key of the tenant or user the
 * connection belongs to, so deleting either crypto-shreds them. Nothing secret touches this service's database.
 */
@Injectable()
export class ConnectorVault {
  constructor(private readonly rpc: RpcClient) {}

  async putCredential(ctx: CallContext, serviceId: string, name: string, value: string) {
    return this.rpc.request(
      VaultConnectorSecretPut,
      {
        kind: 'service_credential',
        scope: { type: 'service', id: serviceId },
        service_id: serviceId,
        owner_id: serviceId,
        name,
        value,
        keep_versions: CREDENTIAL_VERSIONS_KEPT,
      },
      ctx,
    );
  }

  async credentials(ctx: CallContext, serviceId: string): Promise<Record<string, string>> {
    const { items } = await this.rpc.request(
      VaultConnectorSecretOpen,
      {
        kind: 'service_credential',
        scope: { type: 'service', id: serviceId },
        service_id: serviceId,
        owner_id: serviceId,
      },
      ctx,
    );
    return Object.fromEntries(items.map((i) => [i.name, i.value]));
  }

  async listCredentials(ctx: CallContext, serviceId: string) {
    return (await this.rpc.request(VaultConnectorSecretList, { kind: 'service_credential', owner_id: serviceId }, ctx))
      .items;
  }

  /** The connection's tokens and their version (for a version-checked write), or null when none are stored. */
  async tokens(ctx: CallContext, c: TokenOwner): Promise<{ tokens: StoredTokens; version: number } | null> {
    const { items } = await this.rpc.request(
      VaultConnectorSecretOpen,
      { kind: 'connection_tokens', scope: scopeOf(c), service_id: c.service_id, owner_id: c.id },
      ctx,
    );
    const item = items.find((i) => i.name === TOKENS);
    return item ? { tokens: StoredTokens.parse(JSON.parse(item.value)), version: item.version } : null;
  }

  /**
   * Stores a new token set. `expectedVersion` is the version read under the refresh lock (null: none stored yet,
   * undefined: a new grant replaces whatever is there); a mismatch is PRECONDITION_FAILED and writes nothing.
   */
  async putTokens(
    ctx: CallContext,
    c: TokenOwner,
    tokens: StoredTokens,
    expectedVersion?: number | null,
  ): Promise<number> {
    const { version } = await this.rpc.request(
      VaultConnectorSecretPut,
      {
        kind: 'connection_tokens',
        scope: scopeOf(c),
        service_id: c.service_id,
        owner_id: c.id,
        name: TOKENS,
        value: JSON.stringify(tokens),
        expected_version: expectedVersion,
        keep_versions: 1,
      },
      ctx,
    );
    return version;
  }

  async deleteTokens(ctx: CallContext, c: TokenOwner): Promise<void> {
    await this.rpc.request(
      VaultConnectorSecretDelete,
      { service_id: c.service_id, owner_id: c.id, kind: 'connection_tokens' },
      ctx,
    );
  }

  /** Credentials, every connection's tokens and the service's data key. */
  async deleteService(ctx: CallContext, serviceId: string): Promise<void> {
    await this.rpc.request(VaultConnectorSecretDelete, { service_id: serviceId, everything: true }, ctx);
  }
}
