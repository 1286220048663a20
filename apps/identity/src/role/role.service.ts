import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, RoleChanged, Uuid, type CallContext, type Role } from '@lockwell/contracts';
import { assertGlobalPermission, CLOCK, LockwellError, Outbox, requirePrincipal, type Clock } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { RoleEntity } from './role.entity.js';
import { permissionsOf } from './role-permissions.js';
import { UserRoleEntity } from '../user/user-role.entity.js';

type CreateRole = { name: string; description?: string; permissions: string[] };
type UpdateRole = { description?: string | null; permissions?: string[] };

export const toRoleView = (r: RoleEntity): Role => ({
  id: r.id,
  name: r.name,
  description: r.description,
  permissions: permissionsOf(r),
  built_in: r.builtIn,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});

const isUuid = (s: string) => Uuid.safeParse(s).success;

/** Built-in and custom roles; custom roles carry permission sets from the catalogue. */
@Injectable()
export class RoleService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(ctx: CallContext): Promise<Role[]> {
    requirePrincipal(ctx);
    const roles = await this.em.find(RoleEntity, {}, { orderBy: { builtIn: 'desc', name: 'asc' } });
    return roles.map(toRoleView);
  }

  async get(ctx: CallContext, id: string): Promise<Role> {
    requirePrincipal(ctx);
    return toRoleView(await this.find(id));
  }

  /** Roles named by id or name, for assignment; an unknown one is a 400 naming the field. */
  async resolveReferences(em: EntityManager, refs: string[], field: string): Promise<RoleEntity[]> {
    const unique = [...new Set(refs)];
    const roles = await em.find(RoleEntity, { $or: [{ id: { $in: unique.filter(isUuid) } }, { name: { $in: unique } }] });
    const missing = unique.filter((ref) => !roles.some((r) => r.id === ref || r.name === ref));
    if (missing.length) throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [{ field, issue: 'names a role that does not exist' }]);
    return roles;
  }

  async create(ctx: CallContext, body: CreateRole): Promise<Role> {
    assertGlobalPermission(ctx, 'roles:manage');
    return this.em.transactional(async (tx) => {
      if (await tx.count(RoleEntity, { name: body.name })) throw new LockwellError(ErrorCode.ROLE_NAME_TAKEN, 'A role with this name already exists');
      const now = this.clock.now();
      const role = tx.create(RoleEntity, { id: randomUUID(), name: body.name, description: body.description ?? null, permissions: [...new Set(body.permissions)].sort(), createdAt: now, updatedAt: now });
      tx.persist(role);
      this.outbox.audit(tx, ctx, { action: 'role.create', resourceType: 'role', resourceId: role.id, tenantId: null, detail: { name: role.name, permissions: role.permissions } });
      return toRoleView(role);
    });
  }

  async update(ctx: CallContext, id: string, changes: UpdateRole): Promise<Role> {
    assertGlobalPermission(ctx, 'roles:manage');
    return this.em.transactional(async (tx) => {
      const role = await this.find(id, tx);
      if (role.builtIn) throw new LockwellError(ErrorCode.INVALID_STATE, 'Built-in roles cannot be changed');
      if (changes.description !== undefined) role.description = changes.description;
      if (changes.permissions) role.permissions = [...new Set(changes.permissions)].sort();
      role.updatedAt = this.clock.now();
      this.outbox.emit(tx, RoleChanged, { role_id: role.id });
      this.outbox.audit(tx, ctx, { action: 'role.update', resourceType: 'role', resourceId: role.id, tenantId: null, detail: { permissions: role.permissions } });
      return toRoleView(role);
    });
  }

  async remove(ctx: CallContext, id: string): Promise<void> {
    assertGlobalPermission(ctx, 'roles:manage');
    await this.em.transactional(async (tx) => {
      const role = await this.find(id, tx);
      if (role.builtIn) throw new LockwellError(ErrorCode.INVALID_STATE, 'Built-in roles cannot be deleted');
      await tx.nativeDelete(UserRoleEntity, { roleId: role.id });
      tx.remove(role);
      this.outbox.emit(tx, RoleChanged, { role_id: role.id });
      this.outbox.audit(tx, ctx, { action: 'role.delete', resourceType: 'role', resourceId: role.id, tenantId: null, detail: { name: role.name } });
    });
  }

  /** Roles by id with their permissions (gateway principal resolution); unknown ids are left out. */
  async resolve(ids: string[]): Promise<{ id: string; name: string; permissions: string[] }[]> {
    const roles = await this.em.find(RoleEntity, { id: { $in: ids } });
    return roles.map((r) => ({ id: r.id, name: r.name, permissions: permissionsOf(r) }));
  }

  private async find(id: string, em: EntityManager = this.em): Promise<RoleEntity> {
    const role = await em.findOne(RoleEntity, { id });
    if (!role) throw new LockwellError(ErrorCode.ROLE_NOT_FOUND, 'Role not found');
    return role;
  }
}

