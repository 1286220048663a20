import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConnectionRevoked, systemContext, UserDeleted } from '@lockwell/contracts';
import { EventConsumers, Outbox, type TenantPurger } from '@lockwell/service-kit';
import { AuthorizationRequestRepository } from '../authorization/authorization-request.repository.js';
import { ConnectionRepository } from '../connection/connection.repository.js';
import { eventDataOf } from '../connection/connection.view.js';
import { ConnectorVault } from '../storage/connector-vault.js';

/**
 * Deleting a tenant or a user removes their connections (docs/connectors.md "Pieces", purge/). The tokens are sealed
 * under the tenant's or user's data key, which the vault destroys on the same events (crypto-shredding); this
 * consumer removes the rows and pending authorisations. A deleted user's connections in tenants are sealed under
 * the tenant's key, so their tokens are destroyed here through the vault, and the tenant hears ConnectionRevoked.
 * Providers are not asked to revoke: the tokens may already be shredded by then. The tenant part runs in the
 * kit's TenantPurgeModule, which queues the saga's confirmation in the same transaction.
 */
@Injectable()
export class PurgeConsumer implements TenantPurger, OnApplicationBootstrap {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly outbox: Outbox,
    private readonly vault: ConnectorVault,
    private readonly connections: ConnectionRepository,
    private readonly requests: AuthorizationRequestRepository,
  ) {}

  async onApplicationBootstrap() {
    await this.consumers.subscribe('user-deleted', UserDeleted, (data, envelope, em) =>
      this.purgeUser(em, data.user_id, envelope.id),
    );
  }

  async purgeTenant(em: EntityManager, tenantId: string): Promise<void> {
    const removed = await this.connections.deleteAllOfTenant(em, tenantId);
    await this.requests.deleteAllOfTenant(em, tenantId);
    this.outbox.audit(em, systemContext(`tenant-purge-${tenantId}`), {
      action: 'tenant.purge',
      resourceType: 'tenant',
      resourceId: tenantId,
      tenantId,
      system: true,
      detail: { connections_removed: removed.length },
    });
  }

  async purgeUser(em: EntityManager, userId: string, eventId: string): Promise<void> {
    const ctx = systemContext(`user-deleted-${eventId}`);
    const removed = await this.connections.deleteAllOfUser(em, userId);
    await this.requests.deleteAllOfUser(em, userId);
    for (const conn of removed.filter((c) => c.tenant_id !== null)) {
      await this.vault.deleteTokens(ctx, conn);
      if (conn.status !== 'revoked')
        this.outbox.emit(
          em,
          ConnectionRevoked,
          { ...eventDataOf(conn), status: 'revoked', reason: 'user_deleted', previous_status: conn.status },
          conn.tenant_id,
        );
    }
    this.outbox.audit(em, ctx, {
      action: 'user.purge',
      resourceType: 'user',
      resourceId: userId,
      tenantId: null,
      system: true,
      detail: { connections_removed: removed.length },
    });
    await em.flush();
  }
}
