import { Controller } from '@nestjs/common';
import {
  IdentitySessionList,
  IdentitySessionRevoke,
  IdentitySessionRevokedList,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { ActiveSessionService } from './active-session.service.js';

@Controller()
export class SessionHandler {
  constructor(private readonly active: ActiveSessionService) {}

  @RpcHandler(IdentitySessionList)
  async list(_: unknown, ctx: CallContext) {
    return { items: await this.active.list(ctx), next_cursor: null };
  }

  @RpcHandler(IdentitySessionRevoke)
  async revoke(data: RpcRequestParsed<typeof IdentitySessionRevoke>, ctx: CallContext) {
    await this.active.revoke(ctx, data.session_id);
    return { ok: true as const };
  }

  /** Internal: called by gateways (system context) to replay recent revocations. */
  @RpcHandler(IdentitySessionRevokedList)
  revokedList() {
    return this.active.recentlyRevoked();
  }
}
