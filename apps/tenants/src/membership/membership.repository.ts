import type { EntityManager } from '@mikro-orm/postgresql';
import { MembershipEntity } from './membership.entity.js';

/** Membership queries; the tenant id comes first wherever one tenant's data is read. */
export const membershipRepository = {
  forUser(em: EntityManager, userId: string): Promise<MembershipEntity[]> {
    return em.find(MembershipEntity, { userId }, { orderBy: { createdAt: 'asc', tenantId: 'asc' } });
  },

  find(em: EntityManager, tenantId: string, userId: string): Promise<MembershipEntity | null> {
    return em.findOne(MembershipEntity, { tenantId, userId });
  },

  forTenant(em: EntityManager, tenantId: string): Promise<MembershipEntity[]> {
    return em.find(MembershipEntity, { tenantId });
  },

  countOwners(em: EntityManager, tenantId: string): Promise<number> {
    return em.count(MembershipEntity, { tenantId, role: 'owner' });
  },

  /** In how many tenants outside `except` someone holds `role`. */
  async countTenantsWithRole(em: EntityManager, role: string, except: string[]): Promise<number> {
    const rows = await em.execute<{ n: string }[]>(
      `select count(distinct tenant_id) as n from memberships where role = ?${except.length ? ' and tenant_id not in (?)' : ''}`,
      except.length ? [role, except] : [role],
    );
    return Number(rows[0]?.n ?? 0);
  },
};
