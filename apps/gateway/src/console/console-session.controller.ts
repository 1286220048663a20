import { Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ConsoleSession,
  ErrorCode,
  IdentityAuthLogin,
  IdentityAuthLogout,
  IdentityAuthRefresh,
  LoginBody,
  type CallContext,
  type RpcRequestParsed,
  type TokenPair,
} from '@lockwell/contracts';
import { LockwellError, RpcClient } from '@lockwell/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { ApiRoute, ValidBody } from '../openapi/api-route.decorator.js';
import { RevokedSessions } from '../auth/revoked-sessions.js';
import { clearedCookie, refreshTokenFrom, sessionCookie } from './console-cookie.js';
import { ConsoleOriginGuard } from './console-origin.guard.js';

const CSRF_NOTE = ' Send `X-Lockwell-Console: 1` and a same-origin `Origin`; anything else is 403 FORBIDDEN.';

/**
 * The web console's session (extension of docs/api.md "Auth"): the same login, refresh and logout as /auth/*, but
 * the refresh token lives in an HttpOnly, Secure, SameSite=Strict cookie scoped to these routes, so the
 * console's scripts only ever hold the short-lived access token, in memory.
 */
@Controller(`${API_PREFIX}/auth/console`)
@UseGuards(ConsoleOriginGuard)
export class ConsoleSessionController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly revoked: RevokedSessions,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiRoute({
    summary: `Console sign-in (extension): like /auth/login, but the refresh token is set as the HttpOnly cookie \`__Secure-lockwell-console\` (Path=/api/v1/auth/console) and only the access token is returned.${CSRF_NOTE}`,
    tag: 'auth',
    public: true,
    body: LoginBody,
    response: ConsoleSession,
    status: 200,
  })
  async login(
    @Ctx() ctx: CallContext,
    @ValidBody() body: RpcRequestParsed<typeof IdentityAuthLogin>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.issue(reply, await this.rpc.request(IdentityAuthLogin, body, ctx));
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiRoute({
    summary: `Console refresh (extension): rotates the session cookie and returns a new access token; 401 INVALID_REFRESH_TOKEN (and the cookie cleared) when the session is over.${CSRF_NOTE}`,
    tag: 'auth',
    public: true,
    response: ConsoleSession,
    status: 200,
  })
  async refresh(@Ctx() ctx: CallContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const refreshToken = refreshTokenFrom(req);
    if (!refreshToken) throw new LockwellError(ErrorCode.INVALID_REFRESH_TOKEN, 'No console session: sign in');
    try {
      return this.issue(reply, await this.rpc.request(IdentityAuthRefresh, { refresh_token: refreshToken }, ctx));
    } catch (err) {
      if (err instanceof LockwellError && err.code === ErrorCode.INVALID_REFRESH_TOKEN)
        void reply.header('set-cookie', clearedCookie());
      throw err;
    }
  }

  @Post('logout')
  @HttpCode(204)
  @ApiRoute({
    summary: `Console sign-out (extension): ends the session of the access token and of the cookie, and clears the cookie.${CSRF_NOTE}`,
    tag: 'auth',
    status: 204,
  })
  async logout(
    @Ctx() ctx: CallContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const refreshToken = refreshTokenFrom(req);
    const { session_ids } = await this.rpc.request(
      IdentityAuthLogout,
      refreshToken ? { refresh_token: refreshToken } : {},
      ctx,
    );
    this.revoked.add(session_ids, new Date());
    void reply.header('set-cookie', clearedCookie());
  }

  private issue(reply: FastifyReply, pair: TokenPair): ConsoleSession {
    void reply.header('set-cookie', sessionCookie(pair.refresh_token));
    return { access_token: pair.access_token, token_type: pair.token_type, expires_in: pair.expires_in };
  }
}
