import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

/** The PostgreSQL settings that decide whether an acknowledged commit survives a crash, as `SHOW` prints them. */
export interface DurabilitySettings {
  fsync: string;
  synchronous_commit: string;
  full_page_writes: string;
}

export interface DurabilityVerdict {
  /** Settings under which a crash can lose commits PostgreSQL already acknowledged. */
  problems: string[];
  /** Settings that are safe only on some storage (worth a line in the log, not a refusal). */
  warnings: string[];
}

/** The override operators set to run production on a non-durable database anyway (logged as a warning). */
export const NON_DURABLE_OVERRIDE = 'LOCKWELL_ALLOW_NON_DURABLE_DATABASE';

/** Judges the settings (pure). `synchronous_commit` local, remote_write, on and remote_apply all wait for the local WAL flush; only off does not. */
export function judgeDurability(settings: DurabilitySettings): DurabilityVerdict {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (settings.fsync !== 'on') problems.push('fsync is off (commits are not forced to disk)');
  if (settings.synchronous_commit === 'off')
    problems.push('synchronous_commit is off (a commit is acknowledged before its WAL record is written)');
  if (settings.full_page_writes !== 'on')
    warnings.push('full_page_writes is off (safe only on storage that never tears a page, e.g. ZFS)');
  return { problems, warnings };
}

/** Reads the settings in force for this service's own sessions (a per-database or per-role override counts). */
export async function readDurabilitySettings(orm: MikroORM): Promise<DurabilitySettings> {
  const em = orm.em.fork() as EntityManager;
  const rows = await em.execute<{ name: keyof DurabilitySettings; setting: string }[]>(
    `select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes')`,
  );
  const settings = { fsync: 'unknown', synchronous_commit: 'unknown', full_page_writes: 'unknown' };
  for (const row of rows) settings[row.name] = row.setting;
  return settings;
}

export interface DurabilityPolicy {
  production: boolean;
  allowNonDurable: boolean;
}

/**
 * Applies the verdict at start. Production refuses a database that can lose acknowledged writes unless the
 * operator set the override, which is logged as a warning on every start; development and tests (whose
 * harness may run a fast non-durable cluster on purpose) only log it.
 */
export function enforceDurability(
  verdict: DurabilityVerdict,
  policy: DurabilityPolicy,
  logger: Pick<Logger, 'info' | 'warn'>,
): void {
  for (const warning of verdict.warnings) {
    if (policy.production) logger.warn(`database durability: ${warning}`);
    else logger.info(`database durability: ${warning}`);
  }
  if (!verdict.problems.length) return;
  const what = verdict.problems.join('; ');
  if (!policy.production) {
    logger.info(`database durability: ${what}; fine for development and tests, production refuses to start on it`);
    return;
  }
  if (policy.allowNonDurable) {
    logger.warn(
      `database durability: ${what}; starting anyway because ${NON_DURABLE_OVERRIDE} is set: a crash may lose writes already acknowledged to clients`,
    );
    return;
  }
  throw new Error(
    `the database is not durable: ${what}. Turn fsync and synchronous_commit on (postgresql.conf), or set ${NON_DURABLE_OVERRIDE}=true to start anyway`,
  );
}

/** Reads, judges and enforces in one step (startService calls it before migrating). */
export async function checkDatabaseDurability(
  orm: MikroORM,
  policy: DurabilityPolicy,
  logger: Pick<Logger, 'info' | 'warn'>,
): Promise<void> {
  enforceDurability(judgeDurability(await readDurabilitySettings(orm)), policy, logger);
}
