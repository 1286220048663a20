import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { MembershipChanged, systemContext, UserDeleted } from '@lockwell/contracts';
import { EventConsumers, Outbox } from '@lockwell/service-kit';
import { MembershipRepository } from './membership.repository.js';

/**
 * A deleted user leaves every tenant (identity's UserDeleted: durable, applied once per event). Identity
 * refuses to delete the only owner of a tenant (tenants.membership.sole-owner, 409 LAST_OWNER), so a tenant
 * loses its last owner here only if its other owners left between that check and the deletion; that is
 * logged and audited (`tenant_left_without_owner`), and the tenant stays readable by tenants:read-all
 * administrators (docs/tenants.md "Deleting a user").
 */
@Injectable()
export class UserDeletedConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger('UserDeleted');

  constructor(
    private readonly consumers: EventConsumers,
    private readonly outbox: Outbox,
    private readonly memberships: MembershipRepository,
  ) {}

  async onApplicationBootstrap() {
    await this.consumers.subscribe('user-deleted', UserDeleted, (data, envelope, em) =>
      this.removeMemberships(em, data.user_id, envelope.id),
    );
  }

  async removeMemberships(em: EntityManager, userId: string, eventId: string): Promise<void> {
    const memberships = await this.memberships.lockForUser(em, userId);
    if (!memberships.length) return;
    await this.memberships.removeAllForUser(em, userId);
    const ctx = systemContext(`user-deleted-${eventId}`);
    for (const m of memberships) {
      this.outbox.emit(
        em,
        MembershipChanged,
        {
          tenant_id: m.tenant_id,
          tenant_name: m.tenant_name,
          user_id: userId,
          role: null,
          previous_role: m.role,
          changed_by: null,
        },
        m.tenant_id,
      );
      const ownerless = m.role === 'owner' && (await this.memberships.countOwners(em, m.tenant_id)) === 0;
      if (ownerless) this.logger.warn(`tenant ${m.tenant_id} has no owner left: its only owner was deleted`);
      this.outbox.audit(em, ctx, {
        action: 'member.remove',
        resourceType: 'membership',
        resourceId: userId,
        tenantId: m.tenant_id,
        system: true,
        detail: {
          previous_role: m.role,
          reason: 'user_deleted',
          ...(ownerless ? { tenant_left_without_owner: true } : {}),
        },
      });
    }
  }
}
