// Where a login session's tokens live between requests. The SDK keeps them in memory by default; the CLI keeps
// them in a file shared by every `lockwell` process of the user, so its store also locks across processes.

export interface SessionTokens {
  refreshToken: string;
  accessToken?: string;
  /** When the access token expires, in epoch milliseconds. */
  accessTokenExpiresAt?: number;
}

export interface SessionStore {
  read(): Promise<SessionTokens | undefined>;
  write(tokens: SessionTokens): Promise<void>;
  /**
   * Runs `fn` while no other holder of the same store runs theirs. Refresh tokens rotate and presenting a spent one
   * revokes the whole session (docs/api.md "Auth"), so two refreshes with the same token must never overlap.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** A session kept in this process's memory; `onChange` sees every rotated pair (to persist it elsewhere). */
export class MemorySessionStore implements SessionStore {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private tokens: SessionTokens | undefined,
    private readonly onChange?: (tokens: SessionTokens) => void | Promise<void>,
  ) {}

  async read() {
    return this.tokens;
  }

  async write(tokens: SessionTokens) {
    this.tokens = tokens;
    await this.onChange?.(tokens);
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
