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
};
