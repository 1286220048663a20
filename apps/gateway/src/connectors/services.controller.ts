import { Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  AuthorizeBody,
  AuthorizeResult,
  CallbackQuery,
  ConnectableService,
  ConnectableServiceQuery,
  Connection,
  ConnectionIdParams,
  ConnectionListQuery,
  ConnectionToken,
  ConnectionTokenBody,
  ConnectorsAuthorizationComplete,
  ConnectorsAuthorizationStart,
  ConnectorsCatalogList,
  ConnectorsConnectionDisconnect,
  ConnectorsConnectionList,
  ConnectorsConnectionToken,
  DisconnectResult,
  ErrorCode,
  pageOf,
  ServiceIdParams,
  type CallContext,
  type CallbackResult,
} from '@lockwell/contracts';
import { LockwellError, RpcClient } from '@lockwell/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { API_PREFIX } from '../http/api-prefix.js';
import { Ctx } from '../http/call-context.decorator.js';
import { httpStatusFor } from '../http/error-status.js';
import { ApiRoute, ValidBody, ValidParams, ValidQuery } from '../openapi/api-route.decorator.js';
import { CALLBACK_PAGE_CSP, callbackPage, returnLocation } from './callback-page.js';
import { bindingCookie, bindingFrom, clearedBindingCookie, hashOf, newBinding } from './oauth-binding-cookie.js';
import { PROVIDER_ROUTE_TIMEOUT_MS } from './provider-timeout.js';

const TAG = 'services';

/** Browsers get a page (or the flow's return address); API clients that ask for JSON get JSON. */
const wantsJson = (req: FastifyRequest) => {
  const accept = String(req.headers.accept ?? '');
  return accept.includes('application/json') && !accept.includes('text/html');
};

/**
 * docs/api.md "Third-party services": connecting (authorize + callback), the connections, and the token broker. The
 * connectors service authorises every call; the callback is public because the browser arriving from the
 * provider carries no Lockwell credential: its state (and, for browser flows, the binding cookie) identify it.
 */
@Controller(`${API_PREFIX}/services`)
export class ServicesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiRoute({
    summary: "Services users may connect, with the caller's own connection to each (personal, or in `tenant_id`)",
    tag: TAG,
    query: ConnectableServiceQuery,
    response: z.object({ items: z.array(ConnectableService) }),
  })
  catalog(@Ctx() ctx: CallContext, @ValidQuery() q: z.output<typeof ConnectableServiceQuery>) {
    return this.rpc.request(ConnectorsCatalogList, q, ctx);
  }

  @Post(':service_id/authorize')
  @HttpCode(200)
  @ApiRoute({
    summary:
      'Start connecting: `{tenant_id?, scopes?, return_to?, browser_binding?}` -> `{authorization_url, state, expires_at}` (single-use state, PKCE S256, nonce for OpenID Connect, 10 minutes). Sets an HttpOnly binding cookie: the callback must come from the same browser (`browser_binding: false` turns that off where LOCKWELL_CONNECTORS_ALLOW_UNBOUND_AUTHORIZATION allows, i.e. local runs). A tenant connection needs connections:use there',
    tag: TAG,
    params: ServiceIdParams,
    body: AuthorizeBody,
    response: AuthorizeResult,
    status: 200,
  })
  async authorize(
    @Ctx() ctx: CallContext,
    @ValidParams() p: z.output<typeof ServiceIdParams>,
    @ValidBody() body: z.output<typeof AuthorizeBody>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const binding = body.browser_binding === false ? null : newBinding();
    const result = await this.rpc.request(
      ConnectorsAuthorizationStart,
      { ...body, service_id: p.service_id, binding_hash: binding?.hash ?? null },
      ctx,
    );
    if (binding) void reply.header('set-cookie', bindingCookie(result.state, binding.value));
    return result;
  }

  @Get('oauth/callback')
  @ApiRoute({
    summary:
      "Where the provider sends the browser back (`?code&state&iss` or `?error`); public. Unknown, expired, reused or foreign states are 400 OAUTH_STATE_INVALID and store nothing. Exchanges the code, checks `iss` and the ID token, stores the tokens in the vault; answers a small page (or 303 to the flow's `return_to`), or JSON with `Accept: application/json`",
    tag: TAG,
    public: true,
    query: CallbackQuery,
    response: z.object({ status: z.literal('connected'), connection: Connection, return_to: z.string().nullable() }),
  })
  async callback(
    @Ctx() ctx: CallContext,
    @ValidQuery() q: z.output<typeof CallbackQuery>,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const json = wantsJson(req);
    // The callback URL carries the code: no referrer may leak it, and no cache may keep the answer.
    void reply.header('Referrer-Policy', 'no-referrer');
    const binding = bindingFrom(req, q.state);
    if (q.state) void reply.header('set-cookie', clearedBindingCookie(q.state));
    let result: CallbackResult;
    try {
      result = await this.rpc.request(
        ConnectorsAuthorizationComplete,
        { params: q, binding_hash: binding ? hashOf(binding) : null },
        ctx,
        { timeoutMs: PROVIDER_ROUTE_TIMEOUT_MS },
      );
    } catch (err) {
      if (json || !(err instanceof LockwellError)) throw err;
      return this.page(reply, httpStatusFor(err.code), 'Connection failed', [
        err.message,
        'You can close this window and start again.',
      ]);
    }
    if (result.outcome === 'failed') {
      if (json) throw new LockwellError(result.code as ErrorCode, result.message);
      if (result.return_to)
        return this.redirect(reply, returnLocation(result.return_to, { status: 'failed', error: result.code }));
      return this.page(reply, httpStatusFor(result.code as ErrorCode), `${result.service_name}: not connected`, [
        result.message,
        'You can close this window and try again.',
      ]);
    }
    if (json) return { status: 'connected' as const, connection: result.connection, return_to: result.return_to };
    if (result.return_to)
      return this.redirect(
        reply,
        returnLocation(result.return_to, { status: 'connected', connection_id: result.connection.id }),
      );
    return this.page(reply, 200, `${result.service_name} is connected`, [
      `Connection ${result.connection.id} is ready. You can close this window.`,
    ]);
  }

  @Get('connections')
  @ApiRoute({
    summary:
      "The caller's connections: personal ones and those of tenants where they hold connections:use; status (connected / refresh_failed / revoked), granted scopes, expires_at (extension); keyset paging",
    tag: TAG,
    query: ConnectionListQuery,
    response: pageOf(Connection),
  })
  connections(@Ctx() ctx: CallContext, @ValidQuery() q: z.output<typeof ConnectionListQuery>) {
    return this.rpc.request(ConnectorsConnectionList, q, ctx);
  }

  @Post('connections/:connection_id/token')
  @HttpCode(200)
  @ApiRoute({
    summary:
      'A valid access token of the connection, refreshed first when it is close to expiry; the refresh token never leaves the server (extension). `{scopes?}` are checked against the grant (403 INSUFFICIENT_SCOPE). 409 CONNECTION_REAUTH_REQUIRED when the owner must reconnect; 503 PROVIDER_UNAVAILABLE when the provider is down and the token has expired',
    tag: TAG,
    params: ConnectionIdParams,
    body: ConnectionTokenBody,
    response: ConnectionToken,
    status: 200,
  })
  token(
    @Ctx() ctx: CallContext,
    @ValidParams() p: z.output<typeof ConnectionIdParams>,
    @ValidBody() body: z.output<typeof ConnectionTokenBody>,
  ) {
    return this.rpc.request(ConnectorsConnectionToken, { ...body, connection_id: p.connection_id }, ctx, {
      timeoutMs: PROVIDER_ROUTE_TIMEOUT_MS,
    });
  }

  @Delete('connections/:connection_id')
  @ApiRoute({
    summary:
      'Disconnect: revoke at the provider (RFC 7009) where it has an endpoint, then destroy the tokens; the connection stays listed as `revoked` (deleting it again removes it) (extension)',
    tag: TAG,
    params: ConnectionIdParams,
    response: DisconnectResult,
  })
  disconnect(@Ctx() ctx: CallContext, @ValidParams() p: z.output<typeof ConnectionIdParams>) {
    return this.rpc.request(ConnectorsConnectionDisconnect, p, ctx, { timeoutMs: PROVIDER_ROUTE_TIMEOUT_MS });
  }

  private page(reply: FastifyReply, status: number, title: string, lines: string[]) {
    void reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', CALLBACK_PAGE_CSP);
    return callbackPage(title, lines);
  }

  private redirect(reply: FastifyReply, location: string) {
    void reply.status(303).header('Location', location);
    return '';
  }
}
