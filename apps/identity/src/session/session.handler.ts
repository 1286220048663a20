import { Controller, Inject } from '@nestjs/common';
import {
  IdentityAuthLogin,
  IdentityAuthLogout,
  IdentityAuthRefresh,
  IdentitySessionList,
  IdentitySessionRevoke,
  IdentitySessionRevokeAll,
  IdentitySessionRevokedList,
  type CallContext,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { ActiveSessionService } from './active-session.service.js';
import { SessionService } from './session.service.js';

@Controller()
export class SessionHandler {
  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(ActiveSessionService) private readonly active: ActiveSessionService,
  ) {}

  @RpcHandler(IdentityAuthLogin)
  login(data: { email: string; password: string }, ctx: CallContext) {
    return this.sessions.login(ctx, data);
  }

  @RpcHandler(IdentityAuthRefresh)
  refresh(data: { refresh_token: string }, ctx: CallContext) {
    return this.sessions.refresh(ctx, data.refresh_token);
  }

  @RpcHandler(IdentityAuthLogout)
  async logout(data: { refresh_token?: string }, ctx: CallContext) {
    return { session_ids: await this.sessions.logout(ctx, data.refresh_token) };
  }

  @RpcHandler(IdentitySessionList)
  async list(_: unknown, ctx: CallContext) {
    return { items: await this.active.list(ctx), next_cursor: null };
  }

  @RpcHandler(IdentitySessionRevoke)
  async revoke(data: { session_id: string }, ctx: CallContext) {
    await this.active.revoke(ctx, data.session_id);
    return { ok: true as const };
  }

  @RpcHandler(IdentitySessionRevokeAll)
  async revokeAll(data: { user_id: string }, ctx: CallContext) {
    return { revoked_sessions: await this.active.revokeAll(ctx, data.user_id) };
  }

  /** Internal: called by gateways (system context) to replay recent revocations. */
  @RpcHandler(IdentitySessionRevokedList)
  revokedList() {
    return this.active.recentlyRevoked();
  }
}
