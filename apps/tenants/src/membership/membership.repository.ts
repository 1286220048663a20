import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeysetPosition } from '@lockwell/service-kit';
import { MembershipEntity } from './membership.entity.js';

/**
 * The `memberships` table. Every lookup names its scope first: the tenant (a tenant's members) or the user (a
 * user's tenants); the one installation-wide question is how widely a custom role is used.
 */
@Injectable()
export class MembershipRepository {
  find(em: EntityManager, tenantId: string, userId: string): Promise<MembershipEntity | null> {
    return em.findOne(MembershipEntity, { tenantId, userId });
  }

  /** One keyset page of a tenant's members ordered by (created_at, user_id), `limit + 1` rows (see pageFrom). */
  list(
    em: EntityManager,
    tenantId: string,
    q: { role?: string; after?: KeysetPosition; limit: number },
  ): Promise<MembershipEntity[]> {
    const { after } = q;
    return em.find(
      MembershipEntity,
      {
        tenantId,
        ...(q.role ? { role: q.role } : {}),
        ...(after
          ? { $or: [{ createdAt: { $gt: after.at } }, { createdAt: after.at, userId: { $gt: after.id } }] }
          : {}),
      },
      { orderBy: { createdAt: 'asc', userId: 'asc' }, limit: q.limit + 1 },
    );
  }

  allOf(em: EntityManager, tenantId: string): Promise<MembershipEntity[]> {
    return em.find(MembershipEntity, { tenantId });
  }

  countOwners(em: EntityManager, tenantId: string): Promise<number> {
    return em.count(MembershipEntity, { tenantId, role: 'owner' });
  }

  add(
    em: EntityManager,
    tenantId: string,
    m: Pick<MembershipEntity, 'id' | 'userId' | 'role' | 'createdAt' | 'updatedAt'>,
  ): MembershipEntity {
    return em.create(MembershipEntity, { ...m, tenantId });
  }

  remove(em: EntityManager, membership: MembershipEntity): void {
    em.remove(membership);
  }

  async removeAllOf(em: EntityManager, tenantId: string): Promise<void> {
    await em.nativeDelete(MembershipEntity, { tenantId });
  }

  forUser(em: EntityManager, userId: string): Promise<MembershipEntity[]> {
    return em.find(MembershipEntity, { userId }, { orderBy: { createdAt: 'asc', tenantId: 'asc' } });
  }

  /** Every membership of `userId` with its tenant's name, locking those tenant rows (as member writes do). */
  lockForUser(em: EntityManager, userId: string): Promise<{ tenant_id: string; tenant_name: string; role: string }[]> {
    return em.execute(
      `select m.tenant_id, t.name as tenant_name, m.role from memberships m join tenants t on t.id = m.tenant_id
        where m.user_id = ? order by m.tenant_id for update of t`,
      [userId],
    );
  }

  async removeAllForUser(em: EntityManager, userId: string): Promise<void> {
    await em.execute(`delete from memberships where user_id = ?`, [userId]);
  }

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
  }

  /** In how many tenants outside `except` someone holds `role` (identity asks before widening a custom role). */
  async countTenantsWithRole(em: EntityManager, role: string, except: string[]): Promise<number> {
    const rows = await em.execute<{ n: string }[]>(
      `select count(distinct tenant_id) as n from memberships where role = ?${except.length ? ' and tenant_id not in (?)' : ''}`,
      except.length ? [role, except] : [role],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** An active tenant's name and its members (notification recipients); no rows when it is missing or being deleted. */
  recipientsOf(
    em: EntityManager,
    tenantId: string,
  ): Promise<{ tenant_name: string; user_id: string | null; role: string | null }[]> {
    return em.execute(
      `select t.name as tenant_name, m.user_id, m.role from tenants t left join memberships m on m.tenant_id = t.id
        where t.id = ? and t.status = 'active' order by m.user_id`,
      [tenantId],
    );
  }

  /** The active tenants where someone holds `role` (a custom role id). */
  async tenantsWithRole(em: EntityManager, role: string): Promise<string[]> {
    const rows = await em.execute<{ tenant_id: string }[]>(
      `select distinct m.tenant_id from memberships m join tenants t on t.id = m.tenant_id where m.role = ? and t.status = 'active' order by m.tenant_id`,
      [role],
    );
    return rows.map((r) => r.tenant_id);
  }
}
