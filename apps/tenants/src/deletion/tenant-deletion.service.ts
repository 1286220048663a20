import { Inject, Injectable, Logger } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { MembershipChanged, systemContext, TENANT_PURGE_PARTICIPANTS, TenantDeleted, type TenantPurgeParticipant } from '@lockwell/contracts';
import { CLOCK, Outbox, type Clock } from '@lockwell/service-kit';
import { MembershipEntity } from '../membership/membership.entity.js';
import { TenantEntity } from '../tenant/tenant.entity.js';
import { TenantDeletionEntity } from './tenant-deletion.entity.js';

// One column of the saga row per participant (contracts' TENANT_PURGE_CONFIRMATIONS): a new participant does not
// compile until it has its column.
const COLUMN: Record<TenantPurgeParticipant, 'vaultPurgedAt' | 'connectorsPurgedAt' | 'notificationsPurgedAt'> = {
  vault: 'vaultPurgedAt',
  connectors: 'connectorsPurgedAt',
  notifications: 'notificationsPurgedAt',
};

/**
 * The saga's coordinator side (docs/tenants.md). Confirmations are recorded under a row lock on the saga,
 * so the three participants' confirmations, arriving concurrently on separate consumers, serialise and
 * exactly one of them sees the set complete and removes the tenant. Repeated confirmations change nothing.
 */
@Injectable()
export class TenantDeletionService {
  private readonly logger = new Logger('TenantDeletion');

  constructor(
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Runs inside the consumer's transaction (`em`). */
  async confirm(em: EntityManager, tenantId: string, participant: TenantPurgeParticipant, eventId: string): Promise<void> {
    const saga = await em.findOne(TenantDeletionEntity, { tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    // A confirmation for a tenant nobody is deleting (or one already gone) is ignored.
    if (!saga || saga.completedAt) return;
    const now = this.clock.now();
    saga[COLUMN[participant]] ??= now;
    if (TENANT_PURGE_PARTICIPANTS.every((p) => saga[COLUMN[p]] !== null)) await this.complete(em, saga, eventId, now);
    await em.flush();
  }

  private async complete(em: EntityManager, saga: TenantDeletionEntity, eventId: string, now: Date): Promise<void> {
    const tenant = await em.findOne(TenantEntity, { id: saga.tenantId });
    saga.completedAt = now;
    if (!tenant) return;
    const members = await em.find(MembershipEntity, { tenantId: tenant.id });
    await em.nativeDelete(MembershipEntity, { tenantId: tenant.id });
    await em.nativeDelete(TenantEntity, { id: tenant.id });
    this.outbox.emit(em, TenantDeleted, { tenant_id: tenant.id }, tenant.id);
    for (const m of members) {
      this.outbox.emit(
        em,
        MembershipChanged,
        { tenant_id: tenant.id, tenant_name: tenant.name, user_id: m.userId, role: null, previous_role: m.role, changed_by: saga.requestedBy },
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
      detail: { requested_by: saga.requestedBy, requested_at: saga.requestedAt.toISOString(), members_removed: members.length },
    });
    this.logger.log(`tenant ${tenant.id} deleted: every participant confirmed its purge`);
  }
}
