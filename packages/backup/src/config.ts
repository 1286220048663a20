import { serviceConfigFields, loadConfigOrExit } from '@lockwell/service-kit';
import { z } from 'zod';

/** The backup command's settings; the only place it reads the environment (README "Operating Lockwell"). */
export const configSchema = z.object({
  LOCKWELL_MASTER_KEY: serviceConfigFields.LOCKWELL_MASTER_KEY,
  LOCKWELL_MASTER_KEY_FILE: serviceConfigFields.LOCKWELL_MASTER_KEY_FILE,
  /** Directory holding pg_dump and pg_restore (default: the newest /usr/lib/postgresql/<n>/bin, else PATH). */
  LOCKWELL_PG_BIN: z.string().min(1).optional(),
  /** Port of `npm start`'s PostgreSQL, the default target when neither --server nor --db is given. */
  LOCKWELL_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
});
export type Config = z.output<typeof configSchema>;

export const loadBackupConfig = (): Config => loadConfigOrExit(configSchema);

/** The environment for pg_dump / pg_restore: ours plus `extra` (PGPASSWORD). */
export const toolEnvironment = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ ...process.env, ...extra });
