import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  MembershipChanged,
  systemContext,
  TENANT_PURGE_PARTICIPANTS,
  TenantDeleted,
  TenantDeleting,
  type CallContext,
  type Tenant,
  type TenantPurgeParticipant,
} from '@lockwell/contracts';
import { CLOCK, Outbox, type Clock } from '@lockwell/service-kit';
import { MembershipRepository } from '../membership/membership.repository.js';
import { assertWritable, TenantAccess } from '../tenant/tenant-access.service.js';
import { TenantRepository } from '../tenant/tenant.repository.js';
import { tenantView } from '../tenant/tenant.view.js';
import type { TenantDeletionEntity } from './tenant-deletion.entity.js';
import { TenantDeletionRepository } from './tenant-deletion.repository.js';

// One column of the saga row per participant (contracts' TENANT_PURGE_CONFIRMATIONS): a new participant does not
// compile until it has its column.
const COLUMN: Record<TenantPurgeParticipant, 'vaultPurgedAt' | 'connectorsPurgedAt' | 'notificationsPurgedAt'> = {
  vault: 'vaultPurgedAt',
  connectors: 'connectorsPurgedAt',
  notifications: 'notificationsPurgedAt',
};

/**
 * The saga's coordinator side (docs/tenants.md "Deletion saga"): it starts the saga and records the
 * participants' confirmations under a row lock on the saga, so confirmations arriving concurrently on separate
 * consumers serialise and exactly one of them sees the set complete and removes the tenant. Repeated
 * confirmations change nothing.
 */
@Injectable()
export class TenantDeletionService {
  private readonly logger = new Logger('TenantDeletion');

  constructor(
    private readonly em: EntityManager,
    private readonly sagas: TenantDeletionRepository,
    private readonly tenants: TenantRepository,
    private readonly memberships: MembershipRepository,
    private readonly access: TenantAccess,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * DELETE /tenants/{id}: the tenant turns `deleting`, refuses writes, and TenantDeleting asks every participant
   * to purge. The row goes when all confirmed.
   */
  async start(ctx: CallContext, tenantId: string): Promise<Tenant> {
    return this.em.transactional(async (em) => {
      const { tenant, role, userId } = await this.access.require(em, ctx, tenantId, 'tenant:delete', { lock: true });
      assertWritable(tenant);
      const now = this.clock.now();
      tenant.status = 'deleting';
      tenant.updatedAt = now;
      this.sagas.start(em, tenant.id, userId, now);
      this.outbox.emit(em, TenantDeleting, { tenant_id: tenant.id }, tenant.id);
      this.outbox.audit(em, ctx, {
        action: 'tenant.delete',
        resourceType: 'tenant',
        resourceId: tenant.id,
        tenantId: tenant.id,
        detail: { phase: 'requested' },
      });
      await em.flush();
      return tenantView(tenant, role);
    });
  }

  /** Runs inside the consumer's transaction (`em`). */
  async confirm(
    em: EntityManager,
    tenantId: string,
    participant: TenantPurgeParticipant,
    eventId: string,
  ): Promise<void> {
    const saga = await this.sagas.lock(em, tenantId);
    // A confirmation for a tenant nobody is deleting (or one already gone) is ignored.
    if (!saga || saga.completedAt) return;
    const now = this.clock.now();
    saga[COLUMN[participant]] ??= now;
    if (TENANT_PURGE_PARTICIPANTS.every((p) => saga[COLUMN[p]] !== null)) await this.complete(em, saga, eventId, now);
    await em.flush();
  }

  private async complete(em: EntityManager, saga: TenantDeletionEntity, eventId: string, now: Date): Promise<void> {
    const tenant = await this.tenants.find(em, saga.tenantId);
    saga.completedAt = now;
    if (!tenant) return;
    const members = await this.memberships.allOf(em, tenant.id);
    await this.memberships.removeAllOf(em, tenant.id);
    await this.tenants.delete(em, tenant.id);
    this.outbox.emit(em, TenantDeleted, { tenant_id: tenant.id }, tenant.id);
    for (const m of members) {
      this.outbox.emit(
        em,
        MembershipChanged,
        {
          tenant_id: tenant.id,
          tenant_name: tenant.name,
          user_id: m.userId,
          role: null,
          previous_role: m.role,
          changed_by: saga.requestedBy,
        },
        tenant.id,
      );
    }
    // No end user acts here: the record names the request that started the saga and the final confirmation.
    this.outbox.audit(em, systemContext(`tenant-deletion-${eventId}`), {
      action: 'tenant.deleted',
      resourceType: 'tenant',
      resourceId: tenant.id,
      tenantId: tenant.id,
      system: true,
      detail: {
        requested_by: saga.requestedBy,
        requested_at: saga.requestedAt.toISOString(),
        members_removed: members.length,
      },
    });
    this.logger.log(`tenant ${tenant.id} deleted: every participant confirmed its purge`);
  }
}
