import type { CallbackQuery, ProviderQuirks } from '@lockwell/contracts';

/** The OAuth client as a port (STYLE "Side effects behind ports"): domain code never calls a provider itself. */
export const OAUTH_CLIENT = Symbol('OAUTH_CLIENT');

/** Everything about a registered service the protocol needs (all endpoints already passed the endpoint policy). */
export interface ProviderSettings {
  protocol: 'oauth2' | 'oidc';
  authorization_url: string;
  token_url: string;
  revocation_url: string | null;
  issuer: string | null;
  jwks_uri: string | null;
  redirect_uri: string;
  extra_auth_params: Record<string, string>;
  quirks: ProviderQuirks;
}

export interface ClientCredentials {
  client_id: string;
  client_secret: string | null;
}

/** Single-use values of one authorisation, from a CSPRNG (OC-1). */
export interface AuthorizationSecrets {
  state: string;
  code_verifier: string;
  nonce: string;
}

/** A token endpoint response after validation (OC-7); `body` is the whole object, for the preset's kept fields. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  body: Record<string, unknown>;
}

export interface DiscoveredEndpoints {
  issuer: string;
  authorization_url: string;
  token_url: string;
  revocation_url: string | null;
  jwks_uri: string | null;
  token_endpoint_auth_methods: string[];
}

/**
 * What the provider did, classified once so the broker can decide without knowing the provider:
 * `refused` (an OAuth error code: the request was understood and denied), `unavailable` (network, timeout,
 * 429, 5xx: retry later) or `invalid` (an answer that is not valid OAuth: too large, malformed, bad ID token).
 */
export class ProviderError extends Error {
  constructor(
    readonly kind: 'refused' | 'unavailable' | 'invalid',
    readonly providerCode: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export interface OAuthClient {
  newSecrets(): AuthorizationSecrets;
  authorizationUrl(
    p: ProviderSettings,
    c: ClientCredentials,
    secrets: AuthorizationSecrets,
    scopes: string[],
  ): Promise<string>;
  /** Validates the authorization response (state, `iss`) and exchanges the code (PKCE; nonce and ID token for OIDC). */
  exchangeCode(
    p: ProviderSettings,
    c: ClientCredentials,
    params: CallbackQuery,
    secrets: AuthorizationSecrets,
  ): Promise<TokenResponse>;
  refresh(p: ProviderSettings, c: ClientCredentials, refreshToken: string): Promise<TokenResponse>;
  /** RFC 7009; only called when the service has a revocation endpoint. */
  revoke(
    p: ProviderSettings,
    c: ClientCredentials,
    token: string,
    hint: 'refresh_token' | 'access_token',
  ): Promise<void>;
  discover(issuer: string): Promise<DiscoveredEndpoints>;
}
