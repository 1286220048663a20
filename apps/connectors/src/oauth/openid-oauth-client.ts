import { Inject, Injectable } from '@nestjs/common';
import type { CallbackQuery } from '@lockwell/contracts';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { CONNECTORS_SETTINGS, type ConnectorsSettings } from '../connectors-settings.js';
import { providerFetch } from './provider-fetch.js';
import {
  ProviderError,
  type AuthorizationSecrets,
  type ClientCredentials,
  type DiscoveredEndpoints,
  type OAuthClient,
  type ProviderSettings,
  type TokenResponse,
} from './oauth-client.port.js';

// A service without an issuer (plain OAuth 2.0) cannot check an `iss` parameter against anything; openid-client
// needs some issuer string, and ID tokens are never expected from such a service.
const NO_ISSUER = 'urn:lockwell:oauth2-without-issuer';

/** OC-7: the token response is schema-checked beyond what the library already requires. */
const TokenBody = z
  .object({
    access_token: z.string().min(1).max(16_384),
    token_type: z.string().min(1).max(64),
    refresh_token: z.string().min(1).max(16_384).optional(),
    expires_in: z
      .number()
      .int()
      .min(0)
      .max(10 * 365 * 86_400)
      .optional(),
    scope: z.string().max(8192).optional(),
  })
  .loose();

/**
 * The OAuth client, built on openid-client 6 (oauth4webapi underneath): authorization URLs with PKCE S256 and a
 * nonce for OpenID Connect, validation of the authorization response (state, RFC 9207 `iss`), the code
 * exchange with ID-token checks (nonce, issuer, audience, signature against the provider's JWKS), refresh and
 * RFC 7009 revocation. Every request goes through `providerFetch` (deadline, size limit, no redirects).
 */
@Injectable()
export class OpenIdOAuthClient implements OAuthClient {
  constructor(@Inject(CONNECTORS_SETTINGS) private readonly settings: ConnectorsSettings) {}

  newSecrets(): AuthorizationSecrets {
    return { state: oidc.randomState(), code_verifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce() };
  }

  async authorizationUrl(
    p: ProviderSettings,
    c: ClientCredentials,
    secrets: AuthorizationSecrets,
    scopes: string[],
  ): Promise<string> {
    const params: Record<string, string> = {
      ...p.extra_auth_params,
      redirect_uri: p.redirect_uri,
      state: secrets.state,
    };
    if (scopes.length) params.scope = scopes.join(p.quirks.scope_separator);
    if (p.quirks.pkce) {
      params.code_challenge = await oidc.calculatePKCECodeChallenge(secrets.code_verifier);
      params.code_challenge_method = 'S256';
    }
    if (p.protocol === 'oidc') params.nonce = secrets.nonce;
    return oidc.buildAuthorizationUrl(this.configuration(p, c), params).href;
  }

  async exchangeCode(
    p: ProviderSettings,
    c: ClientCredentials,
    params: CallbackQuery,
    secrets: AuthorizationSecrets,
  ): Promise<TokenResponse> {
    const url = new URL(p.redirect_uri);
    for (const [name, value] of Object.entries(params)) {
      if (value === undefined || (name === 'iss' && !p.issuer)) continue;
      url.searchParams.set(name, value);
    }
    return this.call('code exchange', async () =>
      oidc.authorizationCodeGrant(this.configuration(p, c), url, {
        expectedState: secrets.state,
        pkceCodeVerifier: p.quirks.pkce ? secrets.code_verifier : undefined,
        ...(p.protocol === 'oidc' ? { expectedNonce: secrets.nonce, idTokenExpected: true } : {}),
      }),
    );
  }

  refresh(p: ProviderSettings, c: ClientCredentials, refreshToken: string): Promise<TokenResponse> {
    return this.call('refresh', () => oidc.refreshTokenGrant(this.configuration(p, c), refreshToken));
  }

  async revoke(
    p: ProviderSettings,
    c: ClientCredentials,
    token: string,
    hint: 'refresh_token' | 'access_token',
  ): Promise<void> {
    try {
      await oidc.tokenRevocation(this.configuration(p, c), token, { token_type_hint: hint });
    } catch (err) {
      throw classify(err, 'revocation');
    }
  }

  async discover(issuer: string): Promise<DiscoveredEndpoints> {
    const options = {
      [oidc.customFetch]: providerFetch({
        timeoutMs: this.settings.httpTimeoutMs,
        maxBytes: this.settings.maxResponseBytes,
        errorsWithStatus200: false,
      }),
      timeout: Math.ceil(this.settings.httpTimeoutMs / 1000),
      execute: this.settings.allowLoopbackHttp ? [oidc.allowInsecureRequests] : [],
    };
    let config: oidc.Configuration;
    try {
      config = await oidc.discovery(new URL(issuer), 'lockwell-discovery', undefined, undefined, {
        ...options,
        algorithm: 'oidc',
      });
    } catch (first) {
      // Not an OpenID provider: RFC 8414 metadata at /.well-known/oauth-authorization-server.
      try {
        config = await oidc.discovery(new URL(issuer), 'lockwell-discovery', undefined, undefined, {
          ...options,
          algorithm: 'oauth2',
        });
      } catch {
        throw classify(first, 'discovery');
      }
    }
    const m = config.serverMetadata();
    if (!m.authorization_endpoint || !m.token_endpoint)
      throw new ProviderError('invalid', null, 'discovery: the metadata names no authorization or token endpoint');
    return {
      issuer: m.issuer,
      authorization_url: m.authorization_endpoint,
      token_url: m.token_endpoint,
      revocation_url: m.revocation_endpoint ?? null,
      jwks_uri: m.jwks_uri ?? null,
      token_endpoint_auth_methods: m.token_endpoint_auth_methods_supported ?? ['client_secret_basic'],
    };
  }

  private async call(what: string, request: () => Promise<oidc.TokenEndpointResponse>): Promise<TokenResponse> {
    let body: oidc.TokenEndpointResponse;
    try {
      body = await request();
    } catch (err) {
      throw classify(err, what);
    }
    const parsed = TokenBody.safeParse(body);
    if (!parsed.success)
      throw new ProviderError(
        'invalid',
        null,
        `${what}: the token response is malformed (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`,
      );
    const { access_token, token_type, refresh_token, expires_in, scope } = parsed.data;
    return { access_token, token_type, refresh_token, expires_in, scope, body: { ...parsed.data } };
  }

  private configuration(p: ProviderSettings, c: ClientCredentials): oidc.Configuration {
    const server: oidc.ServerMetadata = {
      issuer: p.issuer ?? NO_ISSUER,
      authorization_endpoint: p.authorization_url,
      token_endpoint: p.token_url,
      ...(p.revocation_url ? { revocation_endpoint: p.revocation_url } : {}),
      ...(p.jwks_uri ? { jwks_uri: p.jwks_uri } : {}),
    };
    const secret = c.client_secret ?? undefined;
    const auth =
      p.quirks.token_endpoint_auth_method === 'none'
        ? oidc.None()
        : p.quirks.token_endpoint_auth_method === 'client_secret_post'
          ? oidc.ClientSecretPost(secret)
          : oidc.ClientSecretBasic(secret);
    const config = new oidc.Configuration(server, c.client_id, undefined, auth);
    config[oidc.customFetch] = providerFetch({
      timeoutMs: this.settings.httpTimeoutMs,
      maxBytes: this.settings.maxResponseBytes,
      errorsWithStatus200: p.quirks.errors_with_status_200,
    });
    config.timeout = Math.ceil(this.settings.httpTimeoutMs / 1000);
    // The endpoint policy already limited http:// to loopback in local runs; production never gets here with http.
    if (this.settings.allowLoopbackHttp) oidc.allowInsecureRequests(config);
    // OpenID Connect Core §3.1.3.7: check the ID token's signature against the provider's keys, not only TLS.
    if (p.protocol === 'oidc' && p.jwks_uri) oidc.enableNonRepudiationChecks(config);
    return config;
  }
}

const isRetryableStatus = (status: number | undefined) => status !== undefined && (status === 429 || status >= 500);

/** Sorts whatever openid-client threw into the three kinds the broker acts on (never quoting a token). */
export function classify(err: unknown, what: string): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof oidc.ResponseBodyError) {
    if (isRetryableStatus(err.status))
      return new ProviderError('unavailable', err.error, `${what}: the provider answered ${err.status}`);
    return new ProviderError('refused', err.error, `${what}: the provider refused with ${err.error}`);
  }
  if (err instanceof oidc.AuthorizationResponseError)
    return new ProviderError('refused', err.error, `${what}: the provider returned ${err.error}`);
  if (err instanceof oidc.WWWAuthenticateChallengeError) {
    const code = err.cause[0]?.parameters.error ?? 'invalid_client';
    return isRetryableStatus(err.status)
      ? new ProviderError('unavailable', code, `${what}: the provider answered ${err.status}`)
      : new ProviderError('refused', code, `${what}: the provider refused with ${code}`);
  }
  if (err instanceof oidc.ClientError) {
    if (err.cause instanceof ProviderError) return err.cause;
    if (err.code === 'OAUTH_TIMEOUT' || err.code === 'OAUTH_ABORT')
      return new ProviderError('unavailable', null, `${what}: the provider did not answer in time`);
    const status = err.cause instanceof Response ? err.cause.status : undefined;
    if (isRetryableStatus(status))
      return new ProviderError('unavailable', null, `${what}: the provider answered ${status}`);
    return new ProviderError('invalid', null, `${what}: ${err.message}`);
  }
  const name = (err as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return new ProviderError('unavailable', null, `${what}: the provider did not answer in time`);
  // fetch() reports refused connections, DNS and TLS failures as TypeError('fetch failed').
  if (err instanceof TypeError && err.message === 'fetch failed')
    return new ProviderError('unavailable', null, `${what}: the provider is unreachable`);
  return new ProviderError('invalid', null, `${what}: ${(err as Error)?.message ?? 'unexpected failure'}`);
}
