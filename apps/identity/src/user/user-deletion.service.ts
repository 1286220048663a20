import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, TenantsMembershipSoleOwner, UserChanged, UserDeleted, type CallContext } from '@lockwell/contracts';
import { assertGlobalPermission, LockwellError, Outbox, RpcClient } from '@lockwell/service-kit';
import { ApiTokenService } from '../api-token/api-token.service.js';
import { assertHoldsGlobal } from '../role/grant-policy.js';
import { globalPermissionsOf } from '../role/role-permissions.js';
import { RoleService } from '../role/role.service.js';
import { SessionRevoker } from '../session/session-revoker.js';
import { noAdministratorLeft, userNotFound } from './user.service.js';
import { UserRepository } from './user.repository.js';

/**
 * Admin: deletes a user for good. In one transaction their sessions are revoked (SessionsRevoked), their API
 * tokens announced revoked (ApiTokenRevoked), the user row and everything hanging off it (roles, sessions,
 * refresh tokens, API tokens) deleted, and UserChanged + UserDeleted queued: gateways drop the user at once and
 * the other services remove what the user owned (the vault crypto-shreds their personal secrets, tenants removes
 * their memberships). Nobody deletes themselves or a stronger user; the last active administrator stays, and so
 * does the only owner of a tenant (LAST_OWNER, docs/tenants.md "Deleting a user").
 */
@Injectable()
export class UserDeletionService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UserRepository,
    private readonly roles: RoleService,
    private readonly revoker: SessionRevoker,
    private readonly apiTokens: ApiTokenService,
    private readonly rpc: RpcClient,
    private readonly outbox: Outbox,
  ) {}

  async delete(ctx: CallContext, userId: string): Promise<void> {
    const principal = assertGlobalPermission(ctx, 'users:manage');
    if (principal.userId === userId)
      throw new LockwellError(ErrorCode.INVALID_STATE, 'You cannot delete your own account');
    await this.em.transactional(async (tx) => {
      const user = await this.users.find(tx, userId);
      if (!user) throw userNotFound();
      // No acting on a stronger user: deleting the administrator needs every permission they hold.
      assertHoldsGlobal(
        principal,
        globalPermissionsOf((await this.roles.rolesOf(tx, [user.id])).get(user.id)!),
        'delete this user',
      );
      if ((await this.users.countActiveAdmins(tx, userId)) === 0) throw noAdministratorLeft();
      // Tenants removes a deleted user's memberships (UserDeleted): it must not leave a tenant without an owner.
      const { tenant_ids } = await this.rpc.request(TenantsMembershipSoleOwner, { user_id: userId }, ctx);
      if (tenant_ids.length) {
        throw new LockwellError(
          ErrorCode.LAST_OWNER,
          `This user is the only owner of ${tenant_ids.length} tenant(s): make someone else an owner there, or delete those tenants, first`,
          tenant_ids.slice(0, 20).map((id) => ({ field: 'tenant_ids', issue: `only owner of tenant ${id}` })),
        );
      }
      const sessions = await this.revoker.revoke(tx, userId, 'user_deleted', {});
      const tokens = await this.apiTokens.revokedWithUser(tx, userId);
      await this.users.delete(tx, userId);
      this.outbox.emit(tx, UserChanged, { user_id: userId });
      this.outbox.emit(tx, UserDeleted, { user_id: userId });
      this.outbox.audit(tx, ctx, {
        action: 'user.delete',
        resourceType: 'user',
        resourceId: userId,
        tenantId: null,
        detail: { revoked_sessions: sessions.length, revoked_api_tokens: tokens },
      });
    });
  }
}
