// The Lockwell client: the typed API generated from docs/openapi.json (`client.api`) plus what applications
// need on top of it. Runs wherever fetch does (Node 18+, browsers, workers): no Node-only import here.
import createClient, { type Client } from 'openapi-fetch';
import { authProviderFor, createRefresher, type Credentials } from './auth/credentials.js';
import type { SessionTokens } from './auth/session-store.js';
import type { components, paths } from './generated/openapi.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './http/retry-policy.js';
import { createTransport, type FetchLike } from './http/transport.js';
import { unwrap } from './http/unwrap.js';
import {
  ConnectionTokens,
  type ConnectionToken,
  type ConnectionTokenOptions,
} from './connections/connection-tokens.js';
import {
  SecretReader,
  type EnvQuery,
  type Secret,
  type SecretFilter,
  type SecretMetadata,
  type SecretRef,
} from './secrets/secret-reader.js';
import { ValueCache, type CacheOptions } from './secrets/value-cache.js';

export type ApiClient = Client<paths>;
export type ApiError = components['schemas']['Error'];

export interface LockwellClientOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:8080` (the generated paths carry `/api/v1`). */
  baseUrl: string;
  /** Omit for public calls only (login). */
  credentials?: Credentials;
  /** Cache secret reads in memory (off by default). */
  cache?: CacheOptions;
  retry?: Partial<RetryPolicy>;
  fetch?: FetchLike;
  /** Clock and timer, replaceable in tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class LockwellClient {
  /** Every route of the API, typed: `await client.api.GET('/api/v1/tenants', {})`; see `unwrap`. */
  readonly api: ApiClient;
  readonly baseUrl: string;
  private readonly send: FetchLike;
  private readonly reader: SecretReader;
  private readonly connections: ConnectionTokens;

  constructor(options: LockwellClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const baseFetch: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
    const now = options.now ?? Date.now;
    const auth = options.credentials
      ? authProviderFor(options.credentials, createRefresher(this.baseUrl, baseFetch))
      : undefined;
    this.send = createTransport({
      fetch: baseFetch,
      auth,
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      now,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    });
    this.api = createClient<paths>({ baseUrl: this.baseUrl, fetch: this.send });
    this.reader = new SecretReader(this.api, options.cache ? new ValueCache(options.cache, now) : undefined);
    this.connections = new ConnectionTokens(this.api);
  }

  /** A secret with its value (`secret_value`, and `data` for typed secrets), by id or by name. */
  getSecret(ref: SecretRef): Promise<Secret> {
    return this.reader.getSecret(ref);
  }

  /** Just the value of a secret (its primary value for typed secrets). */
  async getSecretValue(ref: SecretRef): Promise<string> {
    return (await this.reader.getSecret(ref)).secret_value ?? '';
  }

  /**
   * The secrets of one tenant (or the caller's own) and environment, optionally one service, as environment
   * variables. Names are derived as documented in env-names.ts; a collision throws ENV_NAME_COLLISION listing
   * every claimant unless `onCollision: 'omit'` (then colliding names are left out).
   */
  getSecretsAsEnv(query: EnvQuery): Promise<Record<string, string>> {
    return this.reader.getSecretsAsEnv(query);
  }

  /** The metadata of every secret matching the filter (all pages; never values). */
  listSecrets(filter: SecretFilter): Promise<SecretMetadata[]> {
    return this.reader.listSecrets(filter);
  }

  /** The metadata of a secret by name: SECRET_NOT_FOUND, or AMBIGUOUS_SECRET when several environments have it. */
  findSecret(ref: { service: string; key: string; tenant?: string; environment?: string }): Promise<SecretMetadata> {
    return this.reader.findSecret(ref);
  }

  /** Resolves a tenant slug (or name, or id) to its id. */
  resolveTenantId(tenant: string): Promise<string> {
    return this.reader.resolveTenantId(tenant);
  }

  /**
   * A valid access token of a brokered OAuth connection (POST /api/v1/services/connections/{id}/token), refreshed
   * by Lockwell first when it is near expiry; `scopes` the application needs are checked against the grant.
   */
  getConnectionToken(connectionId: string, options?: ConnectionTokenOptions): Promise<ConnectionToken> {
    return this.connections.get(connectionId, options);
  }

  /** Forgets cached secret values (e.g. after a rotation the application heard about). */
  clearCache(): void {
    this.reader.clearCache();
  }
}

/**
 * Logs in with email and password (POST /api/v1/auth/login) and returns the session's tokens, to be given to
 * `new LockwellClient({ credentials: { refreshToken } })` or a SessionStore.
 */
export async function loginWithPassword(
  options: Pick<LockwellClientOptions, 'baseUrl' | 'fetch' | 'retry' | 'now'> & { email: string; password: string },
): Promise<SessionTokens> {
  const client = new LockwellClient({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    retry: options.retry,
    now: options.now,
  });
  const body = await unwrap(
    client.api.POST('/api/v1/auth/login', { body: { email: options.email, password: options.password } }),
  );
  return {
    refreshToken: body.refresh_token,
    accessToken: body.access_token,
    accessTokenExpiresAt: (options.now ?? Date.now)() + body.expires_in * 1000,
  };
}
