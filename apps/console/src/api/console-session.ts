// The console's session. The refresh token lives in an HttpOnly cookie scoped to /api/v1/auth/console, which
// scripts cannot read; the access token lives in this object's memory only (never localStorage or
// sessionStorage), so a reload resumes the session by one refresh through the cookie.
import { LockwellApiError, LockwellClient, unwrap } from '@lockwell/sdk';

/** The gateway refuses the console session routes without it (CSRF defence beside SameSite=Strict and Origin). */
const CONSOLE_HEADERS = { 'x-lockwell-console': '1' } as const;
/** Refresh this long before the access token expires, so it never expires in flight. */
const EXPIRY_MARGIN_MS = 30_000;
/** One refresh at a time across every tab of this browser: refresh tokens rotate, and a reused one ends the session. */
const REFRESH_LOCK = 'lockwell-console-refresh';

export class ConsoleSession {
  /** Every API call of the console goes through this client; it asks `accessToken()` for credentials. */
  readonly client: LockwellClient;
  /** For the session routes themselves: no credentials, and no automatic retry of a login or a refresh. */
  private readonly sessionClient: LockwellClient;
  private accessToken?: string;
  private expiresAt = 0;
  private inflight?: Promise<string>;
  /** Told when the session ends without the user signing out (revoked elsewhere, expired). */
  onEnded: () => void = () => undefined;

  constructor(baseUrl: string) {
    this.sessionClient = new LockwellClient({ baseUrl, retry: { retries: 0 } });
    this.client = new LockwellClient({ baseUrl, credentials: { accessToken: () => this.currentToken() } });
  }

  async signIn(email: string, password: string): Promise<void> {
    this.keep(
      await unwrap(
        this.sessionClient.api.POST('/api/v1/auth/console/login', {
          body: { email, password },
          headers: CONSOLE_HEADERS,
        }),
      ),
    );
  }

  /** On page load: true when the cookie still holds a live session. */
  async resume(): Promise<boolean> {
    try {
      await this.refresh();
      return true;
    } catch (err) {
      if (err instanceof LockwellApiError && err.status === 401) return false;
      throw err;
    }
  }

  async signOut(): Promise<void> {
    try {
      await unwrap(this.client.api.POST('/api/v1/auth/console/logout', { headers: CONSOLE_HEADERS }));
    } finally {
      this.forget();
    }
  }

  /** A fresh access token: the one in memory, or a new one through the cookie. */
  private async currentToken(): Promise<string> {
    if (this.accessToken && this.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return this.accessToken;
    return this.refresh();
  }

  /** Exchanges the cookie for a new access token (and a rotated cookie), once at a time in this browser. */
  refresh(): Promise<string> {
    this.inflight ??= withBrowserLock(async () => {
      try {
        this.keep(
          await unwrap(this.sessionClient.api.POST('/api/v1/auth/console/refresh', { headers: CONSOLE_HEADERS })),
        );
        return this.accessToken!;
      } catch (err) {
        if (err instanceof LockwellApiError && err.status === 401 && this.accessToken) {
          this.forget();
          this.onEnded();
        }
        throw err;
      }
    }).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private keep(session: { access_token: string; expires_in: number }): void {
    this.accessToken = session.access_token;
    this.expiresAt = Date.now() + session.expires_in * 1000;
  }

  private forget(): void {
    this.accessToken = undefined;
    this.expiresAt = 0;
  }
}

function withBrowserLock<T>(task: () => Promise<T>): Promise<T> {
  // Web Locks serialise refreshes of several tabs sharing the cookie: the second one then sends the rotated cookie.
  return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks.request(REFRESH_LOCK, task) : task();
}
