import { Controller } from '@nestjs/common';
import {
  IdentityAuthLogin,
  IdentityAuthLogout,
  IdentityAuthRefresh,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcHandler } from '@lockwell/service-kit';
import { AuthService } from './auth.service.js';

@Controller()
export class AuthHandler {
  constructor(private readonly auth: AuthService) {}

  @RpcHandler(IdentityAuthLogin)
  login(data: RpcRequestParsed<typeof IdentityAuthLogin>, ctx: CallContext) {
    return this.auth.login(ctx, data);
  }

  @RpcHandler(IdentityAuthRefresh)
  refresh(data: RpcRequestParsed<typeof IdentityAuthRefresh>, ctx: CallContext) {
    return this.auth.refresh(ctx, data.refresh_token);
  }

  @RpcHandler(IdentityAuthLogout)
  async logout(data: RpcRequestParsed<typeof IdentityAuthLogout>, ctx: CallContext) {
    return { session_ids: await this.auth.logout(ctx, data.refresh_token) };
  }
}
