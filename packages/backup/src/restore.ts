import path from 'node:path';
import pg from 'pg';
import type { MasterKeyRing } from '@lockwell/crypto';
import { LOCKWELL_VERSION } from '@lockwell/service-kit';
import { BackupError } from './errors.js';
import { keyMismatches } from './key-check.js';
import { compareVersions, readManifest, verifyDumps, type Manifest } from './manifest.js';
import { pgTool, runTool, toolVersion } from './pg-tools.js';
import { redactUrl, withDatabase, type DatabaseTarget } from './targets.js';

export interface RestoreOptions {
  dir: string;
  targets: DatabaseTarget[];
  ring: MasterKeyRing;
  /** Also drop the databases the restore replaced (kept by default as `<name>_pre_restore_<time>`). */
  dropPrevious: boolean;
  binDir?: string;
  log: (line: string) => void;
  /** The restoring Lockwell's version (tests pretend to be older). */
  currentVersion?: string;
}

export interface RestoreResult {
  manifest: Manifest;
  /** Databases the restore moved aside (empty with dropPrevious, or when the targets did not exist). */
  previous: string[];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const NOTHING_CHANGED = 'nothing was changed';

/**
 * Restores a backup into the targets in three phases. 1) Checks, changing nothing: manifest, checksums, that
 * this Lockwell is not older than the backup, that the master key ring matches the backup's check values,
 * that every dump is readable, that the restoring role may create databases and that no one (a running
 * service) is connected to a target. 2) Each dump goes into a new database `<name>_restoring`; any failure
 * drops those and leaves the live databases untouched. 3) Only then each target is swapped by renaming: the
 * old one becomes `<name>_pre_restore_<time>` (or is dropped with dropPrevious), the restored one takes its
 * name. Services then start on the restored databases and apply any newer migrations.
 */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const manifest = await readManifest(opts.dir);
  const current = opts.currentVersion ?? LOCKWELL_VERSION;
  if (compareVersions(manifest.lockwell_version, current) > 0) {
    throw new BackupError(
      `the backup was taken by Lockwell ${manifest.lockwell_version}, newer than this Lockwell ${current}: restore it with ${manifest.lockwell_version} or later; ${NOTHING_CHANGED}`,
    );
  }
  await verifyDumps(opts.dir, manifest);
  const mismatches = keyMismatches(manifest.master_key, opts.ring);
  if (mismatches.length) {
    throw new BackupError(
      `the master key does not match this backup (${mismatches.join('; ')}). Restore with the LOCKWELL_MASTER_KEY ring that was in force when the backup was taken; ${NOTHING_CHANGED}`,
    );
  }
  const pgRestore = pgTool('pg_restore', opts.binDir);
  await toolVersion(pgRestore);
  const plan = manifest.databases.map((db) => {
    const target = opts.targets.find((t) => t.service === db.service);
    if (!target) throw new BackupError(`no target database for ${db.service}; ${NOTHING_CHANGED}`);
    return { db, target, file: path.join(opts.dir, db.file), restoring: `${target.database}_restoring`.slice(0, 63) };
  });
  for (const step of plan) {
    const listed = await runTool(pgRestore, ['--list', step.file]);
    if (listed.status !== 0)
      throw new BackupError(
        `${step.db.file} is not readable by ${pgRestore}: ${listed.stderr.trim()}; ${NOTHING_CHANGED}`,
      );
  }

  const admins = new Map<string, pg.Client>();
  try {
    for (const step of plan) {
      const client = new pg.Client({
        connectionString: withDatabase(step.target.url, 'postgres'),
        application_name: 'lockwell-restore',
      });
      await client.connect().catch((err: Error) => {
        throw new BackupError(
          `cannot connect to ${redactUrl(step.target.url)} (${step.db.service}): ${err.message}; ${NOTHING_CHANGED}`,
        );
      });
      admins.set(step.db.service, client);
      const role = await client.query<{ ok: boolean }>(
        'select rolcreatedb or rolsuper as ok from pg_roles where rolname = current_user',
      );
      if (!role.rows[0]?.ok)
        throw new BackupError(
          `the role in ${redactUrl(step.target.url)} may not create databases (CREATEDB): ${NOTHING_CHANGED}`,
        );
      await assertNobodyConnected(client, step.target.database);
    }

    // Phase 2: restore beside the live databases.
    opts.log(
      `restoring ${plan.length} databases from ${opts.dir} (taken ${manifest.created_at} by Lockwell ${manifest.lockwell_version})`,
    );
    try {
      for (const step of plan) {
        const started = performance.now();
        const admin = admins.get(step.db.service)!;
        await admin.query(`drop database if exists ${quote(step.restoring)}`);
        await admin.query(`create database ${quote(step.restoring)}`);
        const created = performance.now();
        const r = await runTool(
          pgRestore,
          ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', step.file],
          withDatabase(step.target.url, step.restoring),
        );
        if (r.status !== 0) throw new BackupError(`pg_restore of ${step.db.file} failed: ${r.stderr.trim()}`);
        const ms = (from: number, to: number) => Math.round(to - from);
        opts.log(
          `  ${step.db.service}: ${step.db.migrations.length} migrations, last ${step.db.migrations.at(-1) ?? '(none)'}; create ${ms(started, created)} ms, pg_restore ${ms(created, performance.now())} ms`,
        );
      }
    } catch (err) {
      for (const step of plan)
        await admins
          .get(step.db.service)!
          .query(`drop database if exists ${quote(step.restoring)}`)
          .catch(() => undefined);
      throw err instanceof BackupError
        ? new BackupError(`${err.message}; the live databases were left as they were`)
        : err;
    }

    // Phase 3: swap names, undoing the swaps already made if one fails.
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '').slice(0, 14);
    const swapped: { admin: pg.Client; live: string; aside: string | null; restoring: string }[] = [];
    try {
      for (const step of plan) {
        const admin = admins.get(step.db.service)!;
        await assertNobodyConnected(admin, step.target.database);
        const exists = (await admin.query('select 1 from pg_database where datname = $1', [step.target.database]))
          .rowCount;
        const aside = exists ? `${step.target.database.slice(0, 40)}_pre_restore_${stamp}` : null;
        if (aside) await admin.query(`alter database ${quote(step.target.database)} rename to ${quote(aside)}`);
        swapped.push({ admin, live: step.target.database, aside, restoring: step.restoring });
        await admin.query(`alter database ${quote(step.restoring)} rename to ${quote(step.target.database)}`);
      }
    } catch (err) {
      for (const s of swapped.reverse()) {
        await s.admin.query(`alter database ${quote(s.live)} rename to ${quote(s.restoring)}`).catch(() => undefined);
        if (s.aside)
          await s.admin.query(`alter database ${quote(s.aside)} rename to ${quote(s.live)}`).catch(() => undefined);
      }
      for (const step of plan)
        await admins
          .get(step.db.service)!
          .query(`drop database if exists ${quote(step.restoring)}`)
          .catch(() => undefined);
      throw new BackupError(
        `could not swap the restored databases in (${(err as Error).message}); the live databases were put back`,
      );
    }
    const previous: string[] = [];
    const dropping = performance.now();
    for (const s of swapped) {
      if (!s.aside) continue;
      if (opts.dropPrevious) await s.admin.query(`drop database ${quote(s.aside)}`);
      else previous.push(s.aside);
    }
    // DROP DATABASE waits for a checkpoint, which can take a while right after heavy writes.
    if (opts.dropPrevious) opts.log(`  replaced databases dropped in ${Math.round(performance.now() - dropping)} ms`);
    return { manifest, previous };
  } finally {
    await Promise.all([...admins.values()].map((c) => c.end().catch(() => undefined)));
  }
}

/** A service still connected would keep writing to the database being replaced: refuse until it is stopped. */
async function assertNobodyConnected(admin: pg.Client, database: string): Promise<void> {
  const { rows } = await admin.query<{ n: number; apps: string | null }>(
    `select count(*)::int as n, string_agg(distinct nullif(application_name, ''), ', ') as apps from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
    [database],
  );
  if (rows[0].n > 0) {
    throw new BackupError(
      `${rows[0].n} session(s) are connected to ${database}${rows[0].apps ? ` (${rows[0].apps})` : ''}: stop the Lockwell services before restoring; ${NOTHING_CHANGED}`,
    );
  }
}
