import { Controller } from '@nestjs/common';
import {
  IdentityPasswordChange,
  IdentityProfileGet,
  IdentitySessionRevokeAll,
  IdentityUserCreate,
  IdentityUserDelete,
  IdentityUserGet,
  IdentityUserList,
  IdentityUserMe,
  IdentityUserUpdate,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { requirePrincipal, RpcHandler } from '@lockwell/service-kit';
import { PasswordChangeService } from './password-change.service.js';
import { UserDeletionService } from './user-deletion.service.js';
import { UserService } from './user.service.js';

@Controller()
export class UserHandler {
  constructor(
    private readonly users: UserService,
    private readonly deletion: UserDeletionService,
    private readonly passwords: PasswordChangeService,
  ) {}

  @RpcHandler(IdentityUserCreate)
  create(data: RpcRequestParsed<typeof IdentityUserCreate>, ctx: CallContext) {
    return this.users.create(ctx, data);
  }

  @RpcHandler(IdentityUserList)
  list(data: RpcRequestParsed<typeof IdentityUserList>, ctx: CallContext) {
    return this.users.list(ctx, data);
  }

  @RpcHandler(IdentityUserGet)
  get(data: RpcRequestParsed<typeof IdentityUserGet>, ctx: CallContext) {
    return this.users.get(ctx, data.user_id);
  }

  @RpcHandler(IdentityUserMe)
  me(_: unknown, ctx: CallContext) {
    return this.users.me(ctx);
  }

  @RpcHandler(IdentityUserUpdate)
  update(data: RpcRequestParsed<typeof IdentityUserUpdate>, ctx: CallContext) {
    return this.users.update(ctx, data.user_id, data.changes);
  }

  @RpcHandler(IdentityUserDelete)
  async remove(data: RpcRequestParsed<typeof IdentityUserDelete>, ctx: CallContext) {
    await this.deletion.delete(ctx, data.user_id);
    return { deleted: true as const };
  }

  @RpcHandler(IdentityPasswordChange)
  async changePassword(data: RpcRequestParsed<typeof IdentityPasswordChange>, ctx: CallContext) {
    return { revoked_sessions: await this.passwords.change(ctx, data) };
  }

  /** Administrator: end every session of a user. */
  @RpcHandler(IdentitySessionRevokeAll)
  async revokeSessions(data: RpcRequestParsed<typeof IdentitySessionRevokeAll>, ctx: CallContext) {
    return { revoked_sessions: await this.users.revokeSessions(ctx, data.user_id) };
  }

  /** The caller with the standing the gateway resolved for this request (memberships, effective permissions). */
  @RpcHandler(IdentityProfileGet)
  async profile(_: unknown, ctx: CallContext) {
    const principal = requirePrincipal(ctx);
    return {
      user: await this.users.me(ctx),
      kind: principal.kind,
      global_roles: principal.globalRoles,
      global_permissions: principal.globalPermissions,
      memberships: principal.memberships.map((m) => ({
        tenant_id: m.tenantId,
        role: m.role,
        permissions: m.permissions,
      })),
    };
  }
}
