import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ConnectionConnected,
  ErrorCode,
  type AuthorizeResult,
  type CallContext,
  type CallbackQuery,
  type CallbackResult,
  type RpcRequestParsed,
  type ConnectorsAuthorizationStart,
} from '@lockwell/contracts';
import { constantTimeEqual, hashToken } from '@lockwell/crypto';
import { CLOCK, LockwellError, Outbox, type Clock } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { proactiveRefreshAt } from '../tokens/refresh-timing.js';
import { storedTokensFrom } from '../tokens/stored-tokens.js';
import { CONNECTORS_SETTINGS, type ConnectorsSettings } from '../connectors-settings.js';
import { assertMayConnect } from '../connection/connection-access.policy.js';
import { ConnectionRepository } from '../connection/connection.repository.js';
import { connectionView, eventDataOf } from '../connection/connection.view.js';
import { OAUTH_CLIENT, ProviderError, type OAuthClient } from '../oauth/oauth-client.port.js';
import { invalid } from '../service/endpoint-policy.js';
import { isReady, providerSettingsOf } from '../service/provider-settings.js';
import { ServiceRepository, type ServiceRow } from '../service/service.repository.js';
import { ConnectorVault } from '../storage/connector-vault.js';
import { AuthorizationRequestRepository, type AuthorizationRequestRow } from './authorization-request.repository.js';
import { PendingChecksCipher } from './pending-checks.cipher.js';
import { checkReturnTo } from './return-url.js';

/** How long a started authorisation may be completed (the ten minutes). */
export const AUTHORIZATION_TTL_MS = 10 * 60_000;

type StateRejection = 'missing' | 'unknown' | 'other_browser' | 'reused' | 'expired';

/** Provider error codes are shown and audited only when they look like one (RFC 6749 §4.1.2.1 error codes). */
const safeCode = (code: string | null | undefined) => (code && /^[a-z0-9_.-]{1,64}$/.test(code) ? code : 'unknown');

/**
 * The authorization-code flow (OC-1, OC-2): start makes a single-use state (stored only as its hash) bound to
 * the user, the tenant and, for browser flows, the browser (binding cookie); PKCE S256 and a nonce come from a
 * CSPRNG and are sealed until the callback. The callback refuses unknown, foreign, reused and expired states
 * (audited, nothing stored), lets the OAuth library check `iss` and the ID token, and stores the tokens in the
 * vault as the user's connection.
 */
@Injectable()
export class AuthorizationService {
  private readonly logger = new Logger('Authorization');

  constructor(
    private readonly em: EntityManager,
    private readonly services: ServiceRepository,
    private readonly connections: ConnectionRepository,
    private readonly requests: AuthorizationRequestRepository,
    private readonly vault: ConnectorVault,
    private readonly checks: PendingChecksCipher,
    private readonly outbox: Outbox,
    @Inject(OAUTH_CLIENT) private readonly oauth: OAuthClient,
    @Inject(CONNECTORS_SETTINGS) private readonly settings: ConnectorsSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async start(ctx: CallContext, req: RpcRequestParsed<typeof ConnectorsAuthorizationStart>): Promise<AuthorizeResult> {
    const tenantId = req.tenant_id ?? null;
    const principal = assertMayConnect(ctx, tenantId);
    const bound = req.browser_binding !== false;
    if (bound && req.binding_hash === null) throw invalid('browser_binding', 'a browser flow needs its binding cookie');
    if (!bound && !this.settings.allowUnboundAuthorization)
      throw invalid(
        'browser_binding',
        'unbound flows are disabled here (LOCKWELL_CONNECTORS_ALLOW_UNBOUND_AUTHORIZATION)',
      );
    const returnTo = req.return_to === undefined ? null : checkReturnTo(req.return_to, this.settings.returnUrlPrefixes);
    const service = await this.services.byId(this.em, req.service_id);
    if (!service) throw new LockwellError(ErrorCode.SERVICE_NOT_FOUND, 'No such service');
    if (!isReady(service))
      throw new LockwellError(
        ErrorCode.INVALID_STATE,
        'This service cannot be connected yet: its credentials are not set',
      );
    const scopes = req.scopes ?? service.scopes;
    const credentials = await this.vault.credentials(ctx, service.id);
    const secrets = this.oauth.newSecrets();
    const authorizationUrl = await this.oauth.authorizationUrl(
      providerSettingsOf(service, this.settings.defaultRedirectUri),
      { client_id: credentials.client_id!, client_secret: null },
      secrets,
      scopes,
    );
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + AUTHORIZATION_TTL_MS);
    const stateHash = hashToken(secrets.state);
    await this.em.transactional(async (em) => {
      await this.requests.insert(em, {
        state_hash: stateHash,
        service_id: service.id,
        user_id: principal.userId,
        tenant_id: tenantId,
        scopes,
        sealed_checks: this.checks.seal(stateHash, { code_verifier: secrets.code_verifier, nonce: secrets.nonce }),
        binding_hash: bound ? req.binding_hash : null,
        return_to: returnTo,
        created_at: now,
        expires_at: expiresAt,
      });
      this.outbox.audit(em, ctx, {
        action: 'connection.authorize',
        resourceType: 'service',
        resourceId: service.id,
        tenantId,
        detail: { scopes, browser_bound: bound },
      });
      await em.flush();
    });
    return { authorization_url: authorizationUrl, state: secrets.state, expires_at: expiresAt.toISOString() };
  }

  /** The provider's redirect back (public: the state names the user). */
  async complete(ctx: CallContext, params: CallbackQuery, bindingHash: string | null): Promise<CallbackResult> {
    if (!params.state) return this.reject(ctx, 'missing', null);
    const stateHash = hashToken(params.state);
    const request = await this.requests.byStateHash(this.em, stateHash);
    if (!request) return this.reject(ctx, 'unknown', null);
    // A browser-bound state completes only in the browser that started it (RFC 6749 §10.12); a foreign
    // attempt does not use it up, so it cannot deny the real user their flow either.
    if (
      request.binding_hash !== null &&
      (bindingHash === null || !constantTimeEqual(request.binding_hash, bindingHash))
    )
      return this.reject(ctx, 'other_browser', request);
    if (request.used_at !== null) return this.reject(ctx, 'reused', request);
    const now = this.clock.now();
    const consumed = await this.em.transactional((em) => this.requests.consume(em, stateHash, now));
    if (!consumed) return this.reject(ctx, 'reused', request);
    if (new Date(request.expires_at).getTime() <= now.getTime()) return this.reject(ctx, 'expired', request);

    const service = await this.services.byId(this.em, request.service_id);
    // Stryker disable next-line ConditionalExpression: deleting a service deletes its pending requests (cascade); a guard for the race
    if (!service) return this.reject(ctx, 'unknown', request);
    if (params.error)
      return this.failed(
        ctx,
        request,
        service,
        ErrorCode.AUTHORIZATION_FAILED,
        `${service.name} did not grant access (${safeCode(params.error)})`,
        safeCode(params.error),
      );
    if (!params.code)
      return this.failed(
        ctx,
        request,
        service,
        ErrorCode.AUTHORIZATION_FAILED,
        'The provider sent no authorization code',
        'no_code',
      );

    const settings = providerSettingsOf(service, this.settings.defaultRedirectUri);
    const credentials = await this.vault.credentials(ctx, service.id);
    const pending = this.checks.open(stateHash, request.sealed_checks);
    let response;
    try {
      response = await this.oauth.exchangeCode(
        settings,
        { client_id: credentials.client_id!, client_secret: credentials.client_secret ?? null },
        params,
        { state: params.state, ...pending },
      );
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      this.logger.warn(`callback for service ${service.id}: ${err.message}`);
      const code = err.kind === 'unavailable' ? ErrorCode.PROVIDER_UNAVAILABLE : ErrorCode.AUTHORIZATION_FAILED;
      return this.failed(
        ctx,
        request,
        service,
        code,
        `${service.name} did not complete the authorization (${err.kind === 'refused' ? safeCode(err.providerCode) : err.kind})`,
        err.kind === 'refused' ? safeCode(err.providerCode) : err.kind,
      );
    }
    const tokens = storedTokensFrom(response, service.quirks, this.clock.now(), { requestedScopes: request.scopes });
    const connection = await this.em.transactional(async (em) => {
      const existing = await this.connections.forOwner(em, request, service.id, { lock: true });
      const id = existing?.id ?? randomUUID();
      const owner = { id, service_id: service.id, user_id: request.user_id, tenant_id: request.tenant_id };
      const mirror = {
        scopes: tokens.scopes,
        expires_at: tokens.expires_at ? new Date(tokens.expires_at) : null,
        has_refresh_token: tokens.refresh_token !== null,
        next_refresh_at: proactiveRefreshAt(tokens),
        token_version: 0,
      };
      // The row first, so two callbacks racing for one user and service meet at its unique index, not in the vault.
      if (!existing) await this.connections.insert(em, owner, { ...owner, ...mirror }, now);
      mirror.token_version = await this.vault.putTokens(ctx, owner, tokens);
      await this.connections.tokensStored(em, owner, mirror, this.clock.now(), false);
      const row = (await this.connections.reread(em, owner))!;
      this.outbox.emit(
        em,
        ConnectionConnected,
        { ...eventDataOf(row), status: 'connected', reason: null, previous_status: existing?.status ?? null },
        row.tenant_id,
      );
      this.outbox.audit(em, ctx, {
        action: 'connection.callback',
        resourceType: 'connection',
        resourceId: id,
        tenantId: row.tenant_id,
        detail: {
          service_id: service.id,
          on_behalf_of: request.user_id,
          scopes: tokens.scopes,
          reconnected: existing !== undefined,
        },
      });
      await em.flush();
      return row;
    });
    return {
      outcome: 'connected',
      service_name: service.name,
      connection: connectionView(connection),
      return_to: request.return_to,
    };
  }

  private async failed(
    ctx: CallContext,
    request: AuthorizationRequestRow,
    service: ServiceRow,
    code: ErrorCode,
    message: string,
    reason: string,
  ): Promise<CallbackResult> {
    await this.em.transactional(async (em) => {
      this.outbox.audit(em, ctx, {
        action: 'connection.callback',
        resourceType: 'service',
        resourceId: service.id,
        tenantId: request.tenant_id,
        outcome: 'failed',
        detail: { reason, on_behalf_of: request.user_id },
      });
      await em.flush();
    });
    return { outcome: 'failed', service_name: service.name, code, message, return_to: request.return_to };
  }

  /** An unusable state: audited as denied, nothing stored, no return URL (nothing vouches for one). */
  private async reject(
    ctx: CallContext,
    reason: StateRejection,
    request: AuthorizationRequestRow | null,
  ): Promise<never> {
    await this.em.transactional(async (em) => {
      this.outbox.audit(em, ctx, {
        action: 'connection.callback',
        resourceType: 'authorization',
        resourceId: request?.service_id ?? null,
        tenantId: request?.tenant_id ?? null,
        outcome: 'denied',
        detail: { reason, ...(request ? { on_behalf_of: request.user_id } : {}) },
      });
      await em.flush();
    });
    throw new LockwellError(
      ErrorCode.OAUTH_STATE_INVALID,
      reason === 'expired'
        ? 'This authorization has expired: start again'
        : 'This authorization is not valid (unknown, already used, or started in another browser): start again',
    );
  }
}
