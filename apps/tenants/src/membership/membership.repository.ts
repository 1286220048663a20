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

  /** The tenants (not being deleted) where `userId` is an owner and nobody else is. */
  async tenantsOwnedAlone(em: EntityManager, userId: string): Promise<string[]> {
    const rows = await em.execute<{ tenant_id: string }[]>(
      `select m.tenant_id from memberships m join tenants t on t.id = m.tenant_id
        where m.user_id = ? and m.role = 'owner' and t.status = 'active'
          and not exists (select 1 from memberships o where o.tenant_id = m.tenant_id and o.role = 'owner' and o.user_id <> m.user_id)
        order by m.tenant_id`,
      [userId],
    );
    return rows.map((r) => r.tenant_id);
  },

  /** Every membership of `userId` with its tenant's name, locking those tenant rows (as member writes do). */
  lockForUser(em: EntityManager, userId: string): Promise<{ tenant_id: string; tenant_name: string; role: string }[]> {
    return em.execute(
      `select m.tenant_id, t.name as tenant_name, m.role from memberships m join tenants t on t.id = m.tenant_id
        where m.user_id = ? order by m.tenant_id for update of t`,
      [userId],
    );
  },
};
