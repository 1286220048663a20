import type { SessionStore, SessionTokens } from '@lockwell/sdk';
import type { CredentialsFile } from './credentials-file.js';
import { withFileLock } from './file-lock.js';

/** A login session kept in the credentials file, shared by every lockwell process of the user. */
export class FileSessionStore implements SessionStore {
  constructor(
    private readonly file: CredentialsFile,
    private readonly url: string,
  ) {}

  async read(): Promise<SessionTokens | undefined> {
    const login = this.file.login(this.url);
    if (login?.type !== 'session') return undefined;
    return {
      refreshToken: login.refresh_token,
      accessToken: login.access_token,
      accessTokenExpiresAt: login.access_token_expires_at,
    };
  }

  async write(tokens: SessionTokens): Promise<void> {
    this.file.update((data) => {
      const login = data.servers[this.url];
      if (login?.type !== 'session') return; // logged out meanwhile: do not resurrect the session
      data.servers[this.url] = {
        ...login,
        refresh_token: tokens.refreshToken,
        access_token: tokens.accessToken,
        access_token_expires_at: tokens.accessTokenExpiresAt,
      };
    });
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return withFileLock(`${this.file.path}.lock`, fn);
  }
}
