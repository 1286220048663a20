import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, type CallContext, type MembershipRef } from '@lockwell/contracts';
import { assertGlobalPermission, hasGlobalPermission, LockwellError } from '@lockwell/service-kit';
import { MembershipRepository } from './membership.repository.js';

/** What other services ask about memberships: a user's tenants, a custom role's reach, a user's sole ownerships. */
@Injectable()
export class MembershipService {
  constructor(
    private readonly em: EntityManager,
    private readonly memberships: MembershipRepository,
  ) {}

  /**
   * Principal resolution: the gateway asks on a cache miss, before it knows the caller's rights (no principal to
   * authorise). Tenants being deleted are included: their members still see them (status `deleting`) until the
   * saga completes. A call on behalf of a user may only ask about that user, unless it holds users:read.
   */
  async listForUser(ctx: CallContext, userId: string): Promise<MembershipRef[]> {
    const p = ctx.principal;
    if (p && p.userId !== userId && !hasGlobalPermission(p, 'users:read'))
      throw new LockwellError(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
    const rows = await this.memberships.forUser(this.em, userId);
    return rows.map((m) => ({ tenant_id: m.tenantId, role: m.role }));
  }

  /** Identity asks before a custom role is widened (only identity may call this; the caller holds roles:manage). */
  roleUsage(ctx: CallContext, roleId: string, exceptTenantIds: string[]): Promise<number> {
    assertGlobalPermission(ctx, 'roles:manage');
    return this.memberships.countTenantsWithRole(this.em, roleId, exceptTenantIds);
  }

  /** Identity asks before it deletes a user (only identity may call this; the caller holds users:manage). */
  soleOwnerOf(ctx: CallContext, userId: string): Promise<string[]> {
    assertGlobalPermission(ctx, 'users:manage');
    return this.memberships.tenantsOwnedAlone(this.em, userId);
  }

  /** Notifications resolves a tenant's recipients at send time (only notifications may call this, as itself). */
  async recipients(
    tenantId: string,
  ): Promise<{ tenant_name: string | null; members: { user_id: string; role: string }[] }> {
    const rows = await this.memberships.recipientsOf(this.em, tenantId);
    return {
      tenant_name: rows[0]?.tenant_name ?? null,
      members: rows.flatMap((r) => (r.user_id && r.role ? [{ user_id: r.user_id, role: r.role }] : [])),
    };
  }

  /** Where a custom role is held (only notifications may call this: whom to tell that the role changed). */
  tenantsWithRole(roleId: string): Promise<string[]> {
    return this.memberships.tenantsWithRole(this.em, roleId);
  }
}
