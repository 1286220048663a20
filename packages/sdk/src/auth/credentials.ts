// How a client proves who it is: an API token, a login session (refresh token) or a function of the host
// application (the web console keeps its refresh token in an HttpOnly cookie the SDK never sees).
import { ClientErrorCode, LockwellApiError, LockwellError } from '../errors.js';
import type { AuthProvider, FetchLike } from '../http/transport.js';
import { MemorySessionStore, type SessionStore, type SessionTokens } from './session-store.js';

export type Credentials =
  /** A machine API token (`lw_…`), e.g. from LOCKWELL_TOKEN. */
  | { apiToken: string }
  /** A refresh token from POST /auth/login; `onRefresh` receives every rotated pair so it can be persisted. */
  | { refreshToken: string; onRefresh?: (tokens: SessionTokens) => void | Promise<void> }
  /** A session in a store of the caller's (the CLI's credentials file). */
  | { session: SessionStore }
  /** The host application supplies access tokens itself. */
  | { accessToken: () => string | Promise<string> };

/** An access token is refreshed this long before it expires, so it does not expire in flight. */
const EXPIRY_MARGIN_MS = 30_000;

export function authProviderFor(credentials: Credentials, refresher: SessionRefresher): AuthProvider {
  if ('apiToken' in credentials) return { authorization: async () => `Bearer ${credentials.apiToken}` };
  if ('accessToken' in credentials) return { authorization: async () => `Bearer ${await credentials.accessToken()}` };
  const store =
    'session' in credentials
      ? credentials.session
      : new MemorySessionStore({ refreshToken: credentials.refreshToken }, credentials.onRefresh);
  return new SessionAuth(store, refresher);
}

/** Exchanges a refresh token for a new pair (POST /api/v1/auth/refresh). */
export type SessionRefresher = (
  refreshToken: string,
) => Promise<{ access_token: string; refresh_token: string; expires_in: number }>;

export function createRefresher(baseUrl: string, fetch: FetchLike): SessionRefresher {
  return async (refreshToken) => {
    // Not through the retrying transport: a refresh whose answer was lost has already spent the token, and
    // sending it again would revoke the session family.
    const response = await fetch(
      new Request(`${baseUrl}/api/v1/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      }),
    );
    const body = await response.json().catch(() => undefined);
    if (!response.ok) throw LockwellApiError.from(response, body);
    return body as { access_token: string; refresh_token: string; expires_in: number };
  };
}

/**
 * Access tokens from a refresh token. One refresh at a time per store (and, with the CLI's file store, per user
 * across processes); whoever gets the lock re-reads the store first, so a refresh another caller just made is
 * used instead of spending the already rotated token again.
 */
export class SessionAuth implements AuthProvider {
  private inflight?: Promise<string>;

  constructor(
    private readonly store: SessionStore,
    private readonly refresh: SessionRefresher,
    private readonly now: () => number = Date.now,
  ) {}

  async authorization(): Promise<string> {
    const tokens = await this.store.read();
    if (tokens?.accessToken && this.fresh(tokens)) return `Bearer ${tokens.accessToken}`;
    return `Bearer ${await this.renewOnce(tokens?.accessToken)}`;
  }

  async renew(rejected: string): Promise<boolean> {
    await this.renewOnce(rejected.replace(/^Bearer /, ''));
    return true;
  }

  /** Single flight inside this process; the store's lock covers other processes. */
  private renewOnce(stale: string | undefined): Promise<string> {
    this.inflight ??= this.store
      .exclusive(async () => {
        const current = await this.store.read();
        if (!current) throw new LockwellError(ClientErrorCode.NOT_LOGGED_IN, 'not logged in');
        if (current.accessToken && current.accessToken !== stale && this.fresh(current)) return current.accessToken;
        const pair = await this.refresh(current.refreshToken);
        // Stored before anyone uses the new access token: the old refresh token is spent from now on.
        await this.store.write({
          refreshToken: pair.refresh_token,
          accessToken: pair.access_token,
          accessTokenExpiresAt: this.now() + pair.expires_in * 1000,
        });
        return pair.access_token;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  private fresh(tokens: SessionTokens): boolean {
    return tokens.accessTokenExpiresAt !== undefined && tokens.accessTokenExpiresAt - EXPIRY_MARGIN_MS > this.now();
  }
}
