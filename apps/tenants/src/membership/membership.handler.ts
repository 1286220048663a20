import { Controller } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, TenantsMembershipListForUser, TenantsMembershipRoleUsage, TenantsMembershipSoleOwner, type CallContext } from '@lockwell/contracts';
import { assertGlobalPermission, hasGlobalPermission, LockwellError, RpcHandler } from '@lockwell/service-kit';
import { membershipRepository } from './membership.repository.js';

/**
 * Principal resolution: the gateway asks for a user's memberships on a cache miss (before it knows the
 * caller's rights, so there is no principal to authorise). Tenants being deleted are included: their members
 * still see them (status `deleting`) until the saga completes and MembershipChanged (role null) goes out.
 * A call made on behalf of a user (with a principal) may only ask about that user, unless it holds users:read.
 */
@Controller()
export class MembershipHandler {
  constructor(private readonly em: EntityManager) {}

  @RpcHandler(TenantsMembershipListForUser)
  async listForUser(data: { user_id: string }, ctx: CallContext) {
    const p = ctx.principal;
    if (p && p.userId !== data.user_id && !hasGlobalPermission(p, 'users:read')) throw new LockwellError(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
    const rows = await membershipRepository.forUser(this.em, data.user_id);
    return { memberships: rows.map((m) => ({ tenant_id: m.tenantId, role: m.role })) };
  }

  /** Identity asks before a custom role is widened (only identity may call this; the caller holds roles:manage). */
  @RpcHandler(TenantsMembershipRoleUsage)
  async roleUsage(data: { role_id: string; except_tenant_ids: string[] }, ctx: CallContext) {
    assertGlobalPermission(ctx, 'roles:manage');
    return { tenants: await membershipRepository.countTenantsWithRole(this.em, data.role_id, data.except_tenant_ids) };
  }

  /** Identity asks before it deletes a user (only identity may call this; the caller holds users:manage). */
  @RpcHandler(TenantsMembershipSoleOwner)
  async soleOwner(data: { user_id: string }, ctx: CallContext) {
    assertGlobalPermission(ctx, 'users:manage');
    return { tenant_ids: await membershipRepository.tenantsOwnedAlone(this.em, data.user_id) };
  }
}
