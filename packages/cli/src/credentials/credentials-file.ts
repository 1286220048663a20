// The user's stored logins: one per server URL, in <config dir>/credentials.json, mode 0600 in a 0700 folder.
// Written to a temporary file and renamed, so a crash never leaves half a file; never printed.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type StoredLogin =
  | { type: 'session'; email: string; refresh_token: string; access_token?: string; access_token_expires_at?: number }
  | { type: 'api_token'; token: string };

export interface CredentialsData {
  /** The server of the last login: the default when neither --url nor LOCKWELL_URL is given. */
  current?: string;
  servers: Record<string, StoredLogin>;
}

export class CredentialsFile {
  readonly path: string;

  constructor(readonly dir: string) {
    this.path = path.join(dir, 'credentials.json');
  }

  read(): CredentialsData {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { servers: {} };
      throw err;
    }
    try {
      const data = JSON.parse(text) as CredentialsData;
      return { current: data.current, servers: data.servers ?? {} };
    } catch {
      throw new Error(`${this.path} is not valid JSON: delete it and log in again`);
    }
  }

  write(data: CredentialsData): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600); // whatever the umask or a pre-existing file said
    renameSync(tmp, this.path);
  }

  login(url: string): StoredLogin | undefined {
    return this.read().servers[url];
  }

  update(fn: (data: CredentialsData) => void): void {
    const data = this.read();
    fn(data);
    this.write(data);
  }
}
