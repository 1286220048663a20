import { Controller } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, TenantsMembershipListForUser, type CallContext } from '@lockwell/contracts';
import { hasGlobalPermission, LockwellError, RpcHandler } from '@lockwell/service-kit';
import { membershipRepository } from './membership.repository.js';

/**
 * Principal resolution: the gateway asks for a user's memberships on a cache miss (before it knows the
 * caller's rights, so there is no principal to authorise). Tenants being deleted are included: their members
 * still see them (status `deleting`) until the saga completes and MembershipChanged (role null) goes out.
 * A call made on behalf of a user (with a principal) may only ask about that user, unless it holds users:read.
 */
@Controller()
export class MembershipHandler {
  constructor(readonly em: EntityManager) {}

  @RpcHandler(TenantsMembershipListForUser)
  async listForUser(data: { user_id: string }, ctx: CallContext) {
    const p = ctx.principal;
    if (p && p.userId !== data.user_id && !hasGlobalPermission(p, 'users:read')) throw new LockwellError(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
    const rows = await membershipRepository.forUser(this.em, data.user_id);
    return { memberships: rows.map((m) => ({ tenant_id: m.tenantId, role: m.role })) };
  }
}
