import { SERVICE_NAMES, type ServiceName } from '@lockwell/contracts';
import { BackupError } from './errors.js';

/** Where one service's database lives. */
export interface DatabaseTarget {
  service: ServiceName;
  database: string;
  /** postgresql:// URL of that database (may carry credentials: print it only through redactUrl). */
  url: string;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** `url` pointing at database `db` on the same server with the same credentials. */
export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(db)}`;
  return u.toString();
}

/** The URL without its password, for messages and process arguments. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

/** The password of a URL, passed to pg_dump / pg_restore as PGPASSWORD so it never shows in `ps`. */
export const urlPassword = (url: string): string | undefined => {
  const password = new URL(url).password;
  return password ? decodeURIComponent(password) : undefined;
};

const databaseOf = (url: string): string => decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));

/**
 * Every service's database: `--db service=URL` where given, else `lockwell_<service>` on `--server` (a
 * postgresql:// URL whose path is ignored), else on `npm start`'s PostgreSQL (127.0.0.1:`defaultPort`).
 */
export function resolveTargets(opts: {
  server?: string;
  databases?: Record<string, string>;
  defaultPort: number;
}): DatabaseTarget[] {
  const server = opts.server ?? `postgresql://postgres@127.0.0.1:${opts.defaultPort}/postgres`;
  if (!POSTGRES_URL.test(server)) throw new BackupError('--server must be a postgresql:// URL');
  const overrides = opts.databases ?? {};
  for (const [service, url] of Object.entries(overrides)) {
    if (!(SERVICE_NAMES as readonly string[]).includes(service))
      throw new BackupError(`--db names an unknown service '${service}' (one of ${SERVICE_NAMES.join(', ')})`);
    if (!POSTGRES_URL.test(url) || !databaseOf(url))
      throw new BackupError(`--db ${service}= needs a postgresql:// URL that names a database`);
  }
  return SERVICE_NAMES.map((service) => {
    const url = overrides[service] ?? withDatabase(server, `lockwell_${service}`);
    return { service, database: databaseOf(url), url };
  });
}
