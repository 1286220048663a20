import { Controller, HttpCode, Post } from '@nestjs/common';
import {
  IdentityAuthLogin,
  IdentityAuthLogout,
  IdentityAuthRefresh,
  IdentityKeysRotate,
  LoginBody,
  LogoutBody,
  RefreshBody,
  SigningKeyRotated,
  TokenPair,
  type CallContext,
  type RpcRequestParsed,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody } from '../openapi/api-route.decorator.js';
import { RevokedSessions } from '../auth/revoked-sessions.js';
import { JwksCache } from '../auth/jwks.cache.js';

@Controller(`${API_PREFIX}/auth`)
export class AuthController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly revoked: RevokedSessions,
    private readonly jwks: JwksCache,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiRoute({
    summary:
      'Log in with email and password; wrong password and unknown user answer the same 401. Throttled per account and per IP (429 + Retry-After).',
    tag: 'auth',
    public: true,
    body: LoginBody,
    response: TokenPair,
    status: 200,
  })
  login(@Ctx() ctx: CallContext, @ValidBody() body: RpcRequestParsed<typeof IdentityAuthLogin>) {
    return this.rpc.request(IdentityAuthLogin, body, ctx);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiRoute({
    summary:
      'Exchange a refresh token for a new pair; the old refresh token is spent, and presenting it again revokes the session',
    tag: 'auth',
    public: true,
    body: RefreshBody,
    response: TokenPair,
    status: 200,
  })
  refresh(@Ctx() ctx: CallContext, @ValidBody() body: RpcRequestParsed<typeof IdentityAuthRefresh>) {
    return this.rpc.request(IdentityAuthRefresh, body, ctx);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiRoute({
    summary:
      "End the caller's session (and that of refresh_token, if it is the caller's); its access tokens stop working",
    tag: 'auth',
    body: LogoutBody,
    status: 204,
  })
  async logout(@Ctx() ctx: CallContext, @ValidBody() body: RpcRequestParsed<typeof IdentityAuthLogout>): Promise<void> {
    const { session_ids } = await this.rpc.request(IdentityAuthLogout, body, ctx);
    // This replica refuses them at once; the others on the SessionsRevoked event.
    this.revoked.add(session_ids, new Date());
  }

  @Post('keys/rotate')
  @HttpCode(200)
  @ApiRoute({
    summary:
      'Rotate the JWT signing key (extension; needs keys:rotate). Tokens signed with the old key stay valid until they expire.',
    tag: 'auth',
    response: SigningKeyRotated,
    status: 200,
  })
  async rotateKeys(@Ctx() ctx: CallContext) {
    const rotated = await this.rpc.request(IdentityKeysRotate, {}, ctx);
    this.jwks.invalidate();
    return rotated;
  }
}
