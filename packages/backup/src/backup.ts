import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { readCiphertextHeader, type MasterKeyRing } from '@lockwell/crypto';
import { LOCKWELL_VERSION } from '@lockwell/service-kit';
import { BackupError } from './errors.js';
import { keyCheckValues } from './key-check.js';
import { BACKUP_FORMAT, MANIFEST_FILE, sha256File, type Manifest } from './manifest.js';
import { pgTool, runTool, toolVersion } from './pg-tools.js';
import { redactUrl, type DatabaseTarget } from './targets.js';

export interface BackupOptions {
  out: string;
  targets: DatabaseTarget[];
  ring: MasterKeyRing;
  binDir?: string;
  log: (line: string) => void;
}

interface Snapshot {
  target: DatabaseTarget;
  client: pg.Client;
  id: string;
}

/**
 * Takes a backup of every service database into `out`: first one repeatable-read snapshot per database,
 * exported back to back so all six show (nearly) the same instant, then pg_dump of each from its snapshot
 * while the others keep theirs open. Dumps are written first and the manifest last, so a directory with a
 * manifest is a complete backup. Files are readable by their owner only.
 */
export async function takeBackup(opts: BackupOptions): Promise<Manifest> {
  const pgDump = pgTool('pg_dump', opts.binDir);
  const pgDumpVersion = await toolVersion(pgDump);
  await prepareDirectory(opts.out);
  const clients: pg.Client[] = [];
  try {
    for (const target of opts.targets) {
      const client = new pg.Client({ connectionString: target.url, application_name: 'lockwell-backup' });
      clients.push(client);
      await client.connect().catch((err: Error) => {
        throw new BackupError(`cannot connect to ${redactUrl(target.url)} (${target.service}): ${err.message}`);
      });
      await client.query('select 1');
    }
    // Connect everywhere first, then open all snapshots at once: only the spread of these round trips
    // separates the six database states.
    const started = performance.now();
    const snapshots: Snapshot[] = await Promise.all(
      opts.targets.map(async (target, i) => {
        const client = clients[i];
        // One round trip per database (the simple query protocol runs both statements).
        const results = (await client.query(
          'begin isolation level repeatable read read only; select pg_export_snapshot() as id',
        )) as unknown as pg.QueryResult<{ id: string }>[];
        return { target, client, id: results[1].rows[0].id };
      }),
    );
    const spreadMs = Math.round((performance.now() - started) * 10) / 10;
    const serverVersion = (await clients[0].query<{ server_version: string }>('show server_version')).rows[0]
      .server_version;
    const migrations = await Promise.all(snapshots.map((s) => appliedMigrations(s)));
    const keysInUse = await masterKeysInUse(snapshots);

    const dumped = await Promise.all(
      snapshots.map(async (s) => {
        const file = `${s.target.service}.dump`;
        const partial = path.join(opts.out, `${file}.partial`);
        const r = await runTool(pgDump, ['--format=custom', `--snapshot=${s.id}`, `--file=${partial}`], s.target.url);
        if (r.status !== 0) throw new BackupError(`pg_dump of ${s.target.database} failed: ${r.stderr.trim()}`);
        await rename(partial, path.join(opts.out, file));
        await chmod(path.join(opts.out, file), 0o600);
        return file;
      }),
    );
    for (const client of clients) await client.query('commit');

    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      lockwell_version: LOCKWELL_VERSION,
      created_at: new Date().toISOString(),
      consistency: { method: 'exported-snapshots', spread_ms: spreadMs },
      postgres: { server_version: serverVersion, pg_dump: pgDumpVersion },
      master_key: { check_values: keyCheckValues(opts.ring), in_use: keysInUse },
      databases: await Promise.all(
        snapshots.map(async (s, i) => {
          const file = path.join(opts.out, dumped[i]);
          return {
            service: s.target.service,
            database: s.target.database,
            file: dumped[i],
            bytes: (await stat(file)).size,
            sha256: await sha256File(file),
            migrations: migrations[i],
          };
        }),
      ),
    };
    const unknown = manifest.master_key.in_use.filter((id) => !opts.ring.keyIds.includes(id));
    if (unknown.length)
      throw new BackupError(
        `data in the databases is wrapped under master key id(s) ${unknown.join(', ')}, which the configured ring lacks: configure the full ring`,
      );
    await writeFile(path.join(opts.out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    return manifest;
  } catch (err) {
    // No half backups lying around that look usable: drop the dumps this run wrote.
    for (const file of await readdir(opts.out).catch(() => []))
      if (/\.dump(\.partial)?$/.test(file)) await rm(path.join(opts.out, file), { force: true });
    throw err;
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}

async function prepareDirectory(out: string): Promise<void> {
  const entries = await readdir(out).catch(() => null);
  if (entries && entries.length) throw new BackupError(`${out} is not empty: give a new directory for each backup`);
  await mkdir(out, { recursive: true, mode: 0o700 });
  await chmod(out, 0o700);
}

async function appliedMigrations(s: Snapshot): Promise<string[]> {
  const exists = await s.client.query(`select to_regclass('mikro_orm_migrations') is not null as ok`);
  if (!exists.rows[0].ok)
    throw new BackupError(
      `${s.target.database} (${s.target.service}) has no Lockwell schema: has the service ever started on it?`,
    );
  const { rows } = await s.client.query<{ name: string }>('select name from mikro_orm_migrations order by id');
  return rows.map((r) => r.name);
}

/** Master key ids that wrap something in the snapshot: the vault's data keys and identity's signing keys. */
async function masterKeysInUse(snapshots: Snapshot[]): Promise<number[]> {
  const ids = new Set<number>();
  for (const s of snapshots) {
    if (s.target.service === 'vault' && (await tableExists(s.client, 'data_keys'))) {
      const { rows } = await s.client.query<{ id: number }>('select distinct master_key_id as id from data_keys');
      for (const r of rows) ids.add(Number(r.id));
    }
    if (s.target.service === 'identity' && (await tableExists(s.client, 'signing_keys'))) {
      const { rows } = await s.client.query<{ sealed: Buffer }>(
        'select private_key_sealed as sealed from signing_keys',
      );
      for (const r of rows) ids.add(readCiphertextHeader(r.sealed).keyId);
    }
  }
  return [...ids].sort((a, b) => a - b);
}

async function tableExists(client: pg.Client, table: string): Promise<boolean> {
  const { rows } = await client.query(`select to_regclass($1) is not null as ok`, [table]);
  return rows[0].ok;
}
