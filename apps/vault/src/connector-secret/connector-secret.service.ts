import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ErrorCode,
  type CallContext,
  type ConnectorSecretOwner,
  type RpcRequestParsed,
  type RpcResponse,
  type VaultConnectorSecretDelete,
  type VaultConnectorSecretList,
  type VaultConnectorSecretOpen,
  type VaultConnectorSecretPut,
} from '@lockwell/contracts';
import { buildAad, open, seal } from '@lockwell/crypto';
import {
  CLOCK,
  LOGGER,
  LockwellError,
  Outbox,
  retryOnConflict,
  type Clock,
  type Logger,
  isUniqueViolation,
} from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { DataKeyRepository } from '../keys/data-key.repository.js';
import { DataKeyService } from '../keys/data-key.service.js';
import { PurgedScopeRepository } from '../keys/purged-scope.repository.js';
import type { KeyScope } from '../keys/scope.js';
import { ConnectorSecretRepository, type ConnectorSecretRow } from './connector-secret.repository.js';

/**
 * OC-4 / ENC-3: the AAD binds an item's ciphertext to its scope, service, owner (the connection or the service),
 * name, version and data-key version: a ciphertext copied to another row, connection or tenant fails to open.
 */
export const connectorSecretAad = (
  item: Pick<ConnectorSecretRow, 'id' | 'kind' | 'scope_type' | 'scope_id' | 'service_id' | 'owner_id' | 'name'>,
  version: number,
  keyVersion: number,
): string =>
  buildAad({
    purpose: 'vault-connector-secret',
    item_id: item.id,
    kind: item.kind,
    scope: item.scope_type,
    scope_id: item.scope_id,
    service_id: item.service_id,
    owner_id: item.owner_id,
    name: item.name,
    version,
    key_version: keyVersion,
  });

const notFound = () => new LockwellError(ErrorCode.NOT_FOUND, 'No such item');
/**
 * The connectors service's items: sealed under the data key of their scope (ENC-1, ENC-2), written and
 * destroyed with an audit record in the same transaction. Reads are audited by connectors, which knows why it
 * reads (a token hand-out, a refresh). Only connectors can call these RPCs (the bus and the call signature
 * enforce it), so there is no end-user authorisation here: connectors decides who may use a connection.
 */
@Injectable()
export class ConnectorSecretService {
  constructor(
    private readonly em: EntityManager,
    private readonly keys: DataKeyService,
    private readonly items: ConnectorSecretRepository,
    private readonly dataKeys: DataKeyRepository,
    private readonly purged: PurgedScopeRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async put(
    ctx: CallContext,
    req: RpcRequestParsed<typeof VaultConnectorSecretPut>,
  ): Promise<RpcResponse<typeof VaultConnectorSecretPut>> {
    try {
      return await retryOnConflict(() =>
        this.em.fork().transactional(async (em) => {
          const scope: KeyScope = req.scope;
          // A deleted tenant or user never gets a new data key, so nothing new is stored for them.
          if (await this.purged.isPurged(em, scope)) throw notFound();
          const now = this.clock.now();
          let item = await this.items.lock(em, req.owner_id, req.kind, req.name);
          if (item && !sameOwner(item, req)) throw notFound();
          const current = item?.current_version ?? null;
          if (req.expected_version !== undefined && req.expected_version !== current) {
            throw new LockwellError(ErrorCode.PRECONDITION_FAILED, 'The item changed since it was read');
          }
          if (!item) {
            item = {
              id: randomUUID(),
              kind: req.kind,
              scope_type: scope.type,
              scope_id: scope.id,
              service_id: req.service_id,
              owner_id: req.owner_id,
              name: req.name,
              current_version: 0,
              updated_at: now,
            };
            await this.items.insert(em, item, now);
          }
          const version = item.current_version + 1;
          const dek = await this.keys.forEncryption(em, scope);
          const ciphertext = seal(dek.key, dek.version, req.value, connectorSecretAad(item, version, dek.version));
          await this.items.addVersion(
            em,
            item.id,
            version,
            { ciphertext, data_key_version: dek.version },
            now,
            req.keep_versions ?? 100,
          );
          this.audit(em, ctx, 'connector-secret.put', req, { name: req.name, version });
          await em.flush();
          return { version, updated_at: now.toISOString() };
        }),
      );
    } catch (err) {
      // Two first writes raced on the unique (owner, kind, name): the loser's expectation no longer holds.
      if (isUniqueViolation(err))
        throw new LockwellError(ErrorCode.PRECONDITION_FAILED, 'The item changed since it was read');
      throw err;
    }
  }

  async open(
    req: RpcRequestParsed<typeof VaultConnectorSecretOpen>,
  ): Promise<RpcResponse<typeof VaultConnectorSecretOpen>> {
    const em = this.em.fork();
    const rows = await this.items.current(em, req.owner_id, req.kind);
    if (rows.some((row) => !sameOwner(row, req))) throw notFound();
    const out = [];
    for (const row of rows) {
      try {
        const dek = await this.keys.forDecryption(em, { type: row.scope_type, id: row.scope_id }, row.data_key_version);
        const value = open(
          () => dek,
          row.ciphertext,
          connectorSecretAad(row, row.current_version, row.data_key_version),
        ).toString('utf8');
        out.push({ name: row.name, value, version: row.current_version });
      } catch (err) {
        // Tampering, a moved ciphertext or a shredded key: never data, and nothing about the value logged.
        this.logger.error({ itemId: row.id, reason: (err as Error).name }, 'connector item failed to decrypt');
        throw new LockwellError(ErrorCode.INTERNAL, 'A stored connector item could not be decrypted');
      }
    }
    return { items: out };
  }

  async list(
    req: RpcRequestParsed<typeof VaultConnectorSecretList>,
  ): Promise<RpcResponse<typeof VaultConnectorSecretList>> {
    const rows = await this.items.list(this.em.fork(), req.owner_id, req.kind);
    return {
      items: rows.map((r) => ({
        name: r.name,
        version: r.current_version,
        updated_at: new Date(r.updated_at).toISOString(),
      })),
    };
  }

  /** Destroys one owner's items, or a whole service's (its credentials' data key too: crypto-shredding). */
  async delete(
    ctx: CallContext,
    req: RpcRequestParsed<typeof VaultConnectorSecretDelete>,
  ): Promise<RpcResponse<typeof VaultConnectorSecretDelete>> {
    return retryOnConflict(() =>
      this.em.fork().transactional(async (em) => {
        if ('everything' in req) {
          const deleted = await this.items.deleteService(em, req.service_id);
          const scope: KeyScope = { type: 'service', id: req.service_id };
          await this.dataKeys.destroyAllOf(em, scope);
          await this.purged.add(em, scope, this.clock.now());
          this.keys.evict(scope);
          this.outbox.audit(em, ctx, {
            action: 'connector-secret.delete',
            resourceType: 'connector_service',
            resourceId: req.service_id,
            tenantId: null,
            system: !ctx.principal,
            detail: { items_destroyed: deleted, data_key_destroyed: true },
          });
          await em.flush();
          return { deleted };
        }
        const deleted = await this.items.deleteOwner(em, req.owner_id, req.kind, req.service_id);
        this.outbox.audit(em, ctx, {
          action: 'connector-secret.delete',
          resourceType: 'connector_secret',
          resourceId: req.owner_id,
          tenantId: null,
          system: !ctx.principal,
          detail: { kind: req.kind, service_id: req.service_id, items_destroyed: deleted },
        });
        await em.flush();
        return { deleted };
      }),
    );
  }

  private audit(
    em: EntityManager,
    ctx: CallContext,
    action: string,
    owner: ConnectorSecretOwner,
    detail: Record<string, unknown>,
  ): void {
    this.outbox.audit(em, ctx, {
      action,
      resourceType: 'connector_secret',
      resourceId: owner.owner_id,
      tenantId: owner.scope.type === 'tenant' ? owner.scope.id : null,
      system: !ctx.principal,
      detail: { kind: owner.kind, service_id: owner.service_id, ...detail },
    });
  }
}

/** The stored item belongs to the scope and service the caller names (else it does not exist for this call). */
function sameOwner(
  row: Pick<ConnectorSecretRow, 'scope_type' | 'scope_id' | 'service_id'>,
  owner: ConnectorSecretOwner,
): boolean {
  return row.scope_type === owner.scope.type && row.scope_id === owner.scope.id && row.service_id === owner.service_id;
}
