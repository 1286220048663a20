import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  coversPermission,
  ErrorCode,
  RoleChanged,
  TenantsMembershipRoleUsage,
  type CallContext,
  type Principal,
  type Role,
} from '@lockwell/contracts';
import {
  assertGlobalPermission,
  CLOCK,
  LockwellError,
  Outbox,
  requirePrincipal,
  RpcClient,
  type Clock,
} from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import type { RoleEntity } from './role.entity.js';
import { RoleRepository } from './role.repository.js';
import { permissionsOf } from './role-permissions.js';
import { assertHoldsGlobal, isGlobalPermission, permissionChanges } from './grant-policy.js';

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

/** Built-in and custom roles; custom roles carry permission sets from the catalogue. */
@Injectable()
export class RoleService {
  constructor(
    private readonly em: EntityManager,
    private readonly roles: RoleRepository,
    private readonly outbox: Outbox,
    private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(ctx: CallContext): Promise<Role[]> {
    requirePrincipal(ctx);
    return (await this.roles.list(this.em)).map(toRoleView);
  }

  async get(ctx: CallContext, id: string): Promise<Role> {
    requirePrincipal(ctx);
    return toRoleView(await this.find(id));
  }

  /** Each user's roles (keyed by user id, sorted by name). */
  rolesOf(em: EntityManager, userIds: string[]): Promise<Map<string, RoleEntity[]>> {
    return this.roles.rolesOf(em, userIds);
  }

  /** Gives `userId` exactly these roles. */
  assign(em: EntityManager, userId: string, roleIds: string[]): Promise<void> {
    return this.roles.setRoles(em, userId, roleIds);
  }

  /** A built-in role by name (admin, member, viewer). */
  builtIn(em: EntityManager, name: string): Promise<RoleEntity> {
    return this.roles.builtIn(em, name);
  }

  /** Roles named by id or name, for assignment; an unknown one is a 400 naming the field. */
  async resolveReferences(em: EntityManager, refs: string[], field: string): Promise<RoleEntity[]> {
    const unique = [...new Set(refs)];
    const roles = await this.roles.byReferences(em, unique);
    const missing = unique.filter((ref) => !roles.some((r) => r.id === ref || r.name === ref));
    if (missing.length)
      throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
        { field, issue: 'names a role that does not exist' },
      ]);
    return roles;
  }

  /**
   * A new custom role may carry global permissions the caller holds, and any tenant permissions: a role
   * assigned nowhere grants nothing, and each tenant's member rules decide who may hand it out there.
   */
  async create(ctx: CallContext, body: CreateRole): Promise<Role> {
    const principal = assertGlobalPermission(ctx, 'roles:manage');
    assertHoldsGlobal(principal, body.permissions, 'create a role with these permissions');
    return this.em.transactional(async (tx) => {
      if (await this.roles.nameTaken(tx, body.name))
        throw new LockwellError(ErrorCode.ROLE_NAME_TAKEN, 'A role with this name already exists');
      const now = this.clock.now();
      const role = this.roles.add(tx, {
        id: randomUUID(),
        name: body.name,
        description: body.description ?? null,
        permissions: [...new Set(body.permissions)].sort(),
        createdAt: now,
        updatedAt: now,
      });
      this.outbox.audit(tx, ctx, {
        action: 'role.create',
        resourceType: 'role',
        resourceId: role.id,
        tenantId: null,
        detail: { name: role.name, permissions: role.permissions },
      });
      return toRoleView(role);
    });
  }

  /**
   * Global permissions added or removed must be held by the caller; tenant permissions added must be held by
   * the caller in every tenant where the role is assigned (else widening the role would widen its holders,
   * the caller among them, beyond the caller's own power there).
   */
  async update(ctx: CallContext, id: string, changes: UpdateRole): Promise<Role> {
    const principal = assertGlobalPermission(ctx, 'roles:manage');
    if (changes.permissions) {
      const current = await this.find(id);
      if (!current.builtIn) await this.assertMayChangePermissions(ctx, principal, current, changes.permissions);
    }
    return this.em.transactional(async (tx) => {
      const role = await this.find(id, tx);
      if (role.builtIn) throw new LockwellError(ErrorCode.INVALID_STATE, 'Built-in roles cannot be changed');
      if (changes.description !== undefined) role.description = changes.description;
      if (changes.permissions) role.permissions = [...new Set(changes.permissions)].sort();
      role.updatedAt = this.clock.now();
      this.outbox.emit(tx, RoleChanged, { role_id: role.id });
      this.outbox.audit(tx, ctx, {
        action: 'role.update',
        resourceType: 'role',
        resourceId: role.id,
        tenantId: null,
        detail: { permissions: role.permissions },
      });
      return toRoleView(role);
    });
  }

  /** Deleting a role takes its global permissions from its holders: only a caller holding them may. */
  async remove(ctx: CallContext, id: string): Promise<void> {
    const principal = assertGlobalPermission(ctx, 'roles:manage');
    await this.em.transactional(async (tx) => {
      const role = await this.find(id, tx);
      if (role.builtIn) throw new LockwellError(ErrorCode.INVALID_STATE, 'Built-in roles cannot be deleted');
      assertHoldsGlobal(principal, permissionsOf(role), 'delete this role');
      await this.roles.remove(tx, role);
      this.outbox.emit(tx, RoleChanged, { role_id: role.id });
      this.outbox.audit(tx, ctx, {
        action: 'role.delete',
        resourceType: 'role',
        resourceId: role.id,
        tenantId: null,
        detail: { name: role.name },
      });
    });
  }

  /** Roles by id with their permissions (gateway principal resolution); unknown ids are left out. */
  async resolve(ids: string[]): Promise<{ id: string; name: string; permissions: string[] }[]> {
    return (await this.roles.byIds(this.em, ids)).map((r) => ({
      id: r.id,
      name: r.name,
      permissions: permissionsOf(r),
    }));
  }

  private async assertMayChangePermissions(
    ctx: CallContext,
    caller: Principal,
    role: RoleEntity,
    next: string[],
  ): Promise<void> {
    const { added, removed } = permissionChanges(permissionsOf(role), next);
    assertHoldsGlobal(caller, [...added, ...removed], 'change these permissions');
    const addedInTenants = added.filter((p) => !isGlobalPermission(p));
    if (!addedInTenants.length) return;
    const holding = caller.memberships
      .filter((m) => addedInTenants.every((p) => coversPermission(m.permissions, p)))
      .map((m) => m.tenantId);
    const { tenants } = await this.rpc.request(
      TenantsMembershipRoleUsage,
      { role_id: role.id, except_tenant_ids: holding },
      ctx,
    );
    if (tenants > 0) {
      throw new LockwellError(
        ErrorCode.FORBIDDEN,
        'You cannot add these permissions: the role is assigned in tenants where you do not hold them',
      );
    }
  }

  private async find(id: string, em: EntityManager = this.em): Promise<RoleEntity> {
    const role = await this.roles.find(em, id);
    if (!role) throw new LockwellError(ErrorCode.ROLE_NOT_FOUND, 'Role not found');
    return role;
  }
}
