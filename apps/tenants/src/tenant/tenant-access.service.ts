import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, intersectPermissions, permits, type CallContext, type TenantPermission } from '@lockwell/contracts';
import { hasGlobalPermission, LockwellError, requirePrincipal, tenantPermissions } from '@lockwell/service-kit';
import { MembershipRepository } from '../membership/membership.repository.js';
import { RoleCatalog } from '../role/role-catalog.service.js';
import type { TenantEntity } from './tenant.entity.js';
import { TenantRepository } from './tenant.repository.js';

/** What the caller may do in one tenant, decided from this service's own membership rows. */
export interface CallerAccess {
  tenant: TenantEntity;
  userId: string;
  /** The caller's role, or null for an installation admin reading a tenant they do not belong to. */
  role: string | null;
  /** What the caller itself may do here: the role's permissions, narrowed to an API token's grant. */
  permissions: readonly string[];
  /** An API token acting for `userId` (it never counts as that user leaving the tenant). */
  viaToken: boolean;
}

// Installation admins (tenants:read-all) may look at any tenant and its members, never change them.
const READ_ALL_GRANTS: readonly TenantPermission[] = ['tenant:read', 'members:read'];

/**
 * Authorisation for tenant routes. The membership row in this database is the source of truth, so a role
 * change applies to the very next request whatever the gateway cached (AZ-6). An API token is further
 * limited to what the gateway resolved for it (the intersection of its grant and its creator's rights).
 * Anyone who is not a member gets TENANT_NOT_FOUND, exactly like an id that does not exist.
 */
@Injectable()
export class TenantAccess {
  constructor(
    private readonly roles: RoleCatalog,
    private readonly tenants: TenantRepository,
    private readonly memberships: MembershipRepository,
  ) {}

  async resolve(
    em: EntityManager,
    ctx: CallContext,
    tenantId: string,
    opts: { lock?: boolean } = {},
  ): Promise<CallerAccess> {
    const principal = requirePrincipal(ctx);
    const tenant = await this.tenants.find(em, tenantId, { lock: opts.lock });
    if (!tenant) throw notFound();
    const membership = await this.memberships.find(em, tenantId, principal.userId);
    const tokenGrant = principal.kind === 'api_token' ? tenantPermissions(principal, tenantId) : null;
    if (membership && (principal.kind === 'user' || tokenGrant)) {
      const own = (await this.roles.permissionsOfRole(ctx, membership.role)) ?? [];
      const permissions = tokenGrant ? intersectPermissions(tokenGrant, own) : own;
      return { tenant, userId: principal.userId, role: membership.role, permissions, viaToken: tokenGrant !== null };
    }
    if (hasGlobalPermission(principal, 'tenants:read-all'))
      return {
        tenant,
        userId: principal.userId,
        role: null,
        permissions: READ_ALL_GRANTS,
        viaToken: principal.kind === 'api_token',
      };
    throw notFound();
  }

  /** Resolves and demands `permission` (FORBIDDEN for a member without it). */
  async require(
    em: EntityManager,
    ctx: CallContext,
    tenantId: string,
    permission: TenantPermission,
    opts: { lock?: boolean } = {},
  ): Promise<CallerAccess> {
    const access = await this.resolve(em, ctx, tenantId, opts);
    assertPermits(access, permission);
    return access;
  }
}

export function assertPermits(access: CallerAccess, permission: TenantPermission): void {
  if (!permits(access.permissions, permission))
    throw new LockwellError(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
}

/** Writes are refused while the deletion saga runs. */
export function assertWritable(tenant: TenantEntity): void {
  if (tenant.status === 'deleting') throw new LockwellError(ErrorCode.TENANT_DELETING, 'The tenant is being deleted');
}

export const notFound = () => new LockwellError(ErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
