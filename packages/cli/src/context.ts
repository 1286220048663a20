// What every command gets: the server URL, output mode, the credentials file and a client for the stored login.
import { LockwellClient, type Credentials } from '@lockwell/sdk';
import { DEFAULT_URL, type CliEnvironment } from './config.js';
import { CredentialsFile } from './credentials/credentials-file.js';
import { FileSessionStore } from './credentials/file-session-store.js';
import { CliError } from './cli-error.js';

export interface Context {
  url: string;
  json: boolean;
  env: CliEnvironment;
  credentials: CredentialsFile;
  /** A client authenticated as LOCKWELL_TOKEN or the stored login for `url`. */
  client(): LockwellClient;
  /** A client for the stored login alone, whatever LOCKWELL_TOKEN says (to end that login). */
  storedClient(): LockwellClient;
  /** How the client authenticates, for whoami. */
  authKind(): 'LOCKWELL_TOKEN' | 'session' | 'api_token' | undefined;
}

export function createContext(env: CliEnvironment, flags: { url?: string; json?: boolean }): Context {
  const credentials = new CredentialsFile(env.configDir);
  const url = normaliseUrl(flags.url ?? env.url ?? safeCurrent(credentials) ?? DEFAULT_URL);
  const authKind = () => (env.token ? 'LOCKWELL_TOKEN' : credentials.login(url)?.type);
  return {
    url,
    json: flags.json === true,
    env,
    credentials,
    authKind,
    client() {
      return new LockwellClient({ baseUrl: url, credentials: credentialsFor(env, credentials, url) });
    },
    storedClient() {
      return new LockwellClient({
        baseUrl: url,
        credentials: credentialsFor({ ...env, token: undefined }, credentials, url),
        retry: { retries: 0 },
      });
    },
  };
}

function credentialsFor(env: CliEnvironment, file: CredentialsFile, url: string): Credentials {
  if (env.token) return { apiToken: env.token };
  const login = file.login(url);
  if (login?.type === 'api_token') return { apiToken: login.token };
  if (login?.type === 'session') return { session: new FileSessionStore(file, url) };
  throw new CliError(`not logged in to ${url}`, 'NOT_LOGGED_IN');
}

function safeCurrent(file: CredentialsFile): string | undefined {
  try {
    return file.read().current;
  } catch {
    return undefined;
  }
}

export function normaliseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`not a URL: ${raw}`, 'USAGE', 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`not an http(s) URL: ${raw}`, 'USAGE', 2);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
