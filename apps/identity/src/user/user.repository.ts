import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { RoleEntity } from '../role/role.entity.js';
import { UserRoleEntity } from './user-role.entity.js';

/** Role lookups per user (the join table has no relation mapping: it stays two plain columns). */
@Injectable()
export class UserRoleRepository {
  /** Roles of each of `userIds`, keyed by user id. */
  async rolesOf(em: EntityManager, userIds: string[]): Promise<Map<string, RoleEntity[]>> {
    const out = new Map<string, RoleEntity[]>(userIds.map((id) => [id, []]));
    if (!userIds.length) return out;
    const links = await em.find(UserRoleEntity, { userId: { $in: userIds } });
    const roles = await em.find(RoleEntity, { id: { $in: [...new Set(links.map((l) => l.roleId))] } });
    const byId = new Map(roles.map((r) => [r.id, r]));
    for (const link of links) {
      const role = byId.get(link.roleId);
      if (role) out.get(link.userId)!.push(role);
    }
    for (const list of out.values()) list.sort((a, b) => a.name.localeCompare(b.name));
    return out;
  }

  /** Replaces a user's roles. */
  async setRoles(em: EntityManager, userId: string, roleIds: string[]): Promise<void> {
    await em.nativeDelete(UserRoleEntity, { userId });
    for (const roleId of new Set(roleIds)) em.persist(em.create(UserRoleEntity, { userId, roleId }));
  }

  /** Active users holding a role that grants `admin` (to refuse removing the last one). */
  async countActiveAdmins(em: EntityManager, exceptUserId?: string): Promise<number> {
    const [row] = await em.execute<{ n: string }[]>(
      `select count(distinct u.id) as n from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
       where r.built_in and r.name = 'admin' and u.status = 'active'${exceptUserId ? ' and u.id <> ?' : ''}`,
      exceptUserId ? [exceptUserId] : [],
    );
    return Number(row?.n ?? 0);
  }
}
