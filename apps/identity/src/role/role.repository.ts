import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Uuid } from '@lockwell/contracts';
import { RoleEntity } from './role.entity.js';
import { UserRoleEntity } from './user-role.entity.js';

const isUuid = (s: string) => Uuid.safeParse(s).success;

/**
 * The installation's roles (`roles`) and who holds them (`user_roles`: two plain columns, no mapped relation).
 * Roles are installation-wide; assignments are looked up by user.
 */
@Injectable()
export class RoleRepository {
  /** Built-in roles first, then by name. */
  list(em: EntityManager): Promise<RoleEntity[]> {
    return em.find(RoleEntity, {}, { orderBy: { builtIn: 'desc', name: 'asc' } });
  }

  find(em: EntityManager, roleId: string): Promise<RoleEntity | null> {
    return em.findOne(RoleEntity, { id: roleId });
  }

  builtIn(em: EntityManager, name: string): Promise<RoleEntity> {
    return em.findOneOrFail(RoleEntity, { name, builtIn: true });
  }

  byIds(em: EntityManager, roleIds: string[]): Promise<RoleEntity[]> {
    return em.find(RoleEntity, { id: { $in: roleIds } });
  }

  /** The roles named by id or by name among `refs`. */
  byReferences(em: EntityManager, refs: string[]): Promise<RoleEntity[]> {
    return em.find(RoleEntity, { $or: [{ id: { $in: refs.filter(isUuid) } }, { name: { $in: refs } }] });
  }

  async nameTaken(em: EntityManager, name: string): Promise<boolean> {
    return (await em.count(RoleEntity, { name })) > 0;
  }

  add(
    em: EntityManager,
    role: Pick<RoleEntity, 'id' | 'name' | 'description' | 'permissions' | 'createdAt' | 'updatedAt'>,
  ): RoleEntity {
    const entity = em.create(RoleEntity, role);
    em.persist(entity);
    return entity;
  }

  /** Deletes a role and takes it from everyone holding it. */
  async remove(em: EntityManager, role: RoleEntity): Promise<void> {
    await em.nativeDelete(UserRoleEntity, { roleId: role.id });
    em.remove(role);
  }

  /** Roles of each of `userIds`, keyed by user id, each list sorted by name. */
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
}
