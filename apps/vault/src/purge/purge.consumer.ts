import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { systemContext, UserDeleted } from '@lockwell/contracts';
import { CLOCK, EventConsumers, Outbox, type Clock, type TenantPurger } from '@lockwell/service-kit';
import { ConnectorSecretRepository } from '../connector-secret/connector-secret.repository.js';
import { DataKeyRepository } from '../keys/data-key.repository.js';
import { DataKeyService } from '../keys/data-key.service.js';
import { PurgedScopeRepository } from '../keys/purged-scope.repository.js';
import type { Scope } from '../keys/scope.js';
import { SecretRepository } from '../secret/secret.repository.js';

/**
 * Crypto-shredding: when a tenant is being deleted (or a user deleted) its data keys and every secret, version
 * and access row go in one transaction, and the scope is remembered so it never gets a new key. For tenants
 * the saga's VaultTenantPurged confirmation commits in that same transaction (the kit's TenantPurgeModule).
 */
@Injectable()
export class PurgeConsumer implements TenantPurger, OnApplicationBootstrap {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly outbox: Outbox,
    private readonly keys: DataKeyService,
    private readonly secrets: SecretRepository,
    private readonly connectorSecrets: ConnectorSecretRepository,
    private readonly dataKeys: DataKeyRepository,
    private readonly purged: PurgedScopeRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  purgeTenant(em: EntityManager, tenantId: string, eventId: string): Promise<void> {
    return this.purge(em, { type: 'tenant', id: tenantId }, eventId);
  }

  async onApplicationBootstrap() {
    await this.consumers.subscribe('user-deleted', UserDeleted, async (data, envelope, em) => {
      await this.purge(em, { type: 'user', id: data.user_id }, envelope.id);
    });
  }

  async purge(em: EntityManager, scope: Scope, eventId: string): Promise<void> {
    const destroyed = await this.secrets.destroyAllOf(em, scope);
    // The tenant's or user's connections: their OAuth tokens are sealed under the same data key.
    const connectorItems = await this.connectorSecrets.deleteScope(em, scope);
    await this.dataKeys.destroyAllOf(em, scope);
    await this.purged.add(em, scope, this.clock.now());
    this.keys.evict(scope);
    this.outbox.audit(em, systemContext(`purge-${eventId}`), {
      action: scope.type === 'tenant' ? 'tenant.purge' : 'user.purge',
      resourceType: scope.type,
      resourceId: scope.id,
      tenantId: scope.type === 'tenant' ? scope.id : null,
      system: true,
      detail: { secrets_destroyed: destroyed, connector_items_destroyed: connectorItems },
    });
  }
}
