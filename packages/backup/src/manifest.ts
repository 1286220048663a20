import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SERVICE_NAMES } from '@lockwell/contracts';
import { z } from 'zod';
import { BackupError } from './errors.js';

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'lockwell-backup/1';

const DumpFile = z.string().regex(/^[a-z]+\.dump$/, 'a plain file name in the backup directory');

/** What a backup directory holds besides its dumps. Never the master key: only a check value per key. */
export const Manifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  lockwell_version: z.string().regex(/^\d+\.\d+\.\d+/),
  created_at: z.string(),
  /** One repeatable-read snapshot per database, exported back to back before any dump started. */
  consistency: z.object({ method: z.literal('exported-snapshots'), spread_ms: z.number() }),
  postgres: z.object({ server_version: z.string(), pg_dump: z.string() }),
  master_key: z.object({
    /** key id -> masterKeyCheckValue of every key in the ring at backup time. */
    check_values: z.record(z.string().regex(/^\d+$/), z.string().regex(/^[0-9a-f]{16}$/)),
    /** Key ids that wrap something in this backup (vault data keys, identity signing keys). */
    in_use: z.array(z.number().int().positive()),
  }),
  databases: z
    .array(
      z.object({
        service: z.enum(SERVICE_NAMES),
        database: z.string().min(1),
        file: DumpFile,
        bytes: z.number().int().nonnegative(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        /** Applied migrations, oldest first: the schema state the dump holds. */
        migrations: z.array(z.string()),
      }),
    )
    .length(SERVICE_NAMES.length),
});
export type Manifest = z.infer<typeof Manifest>;

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Reads and validates `dir/manifest.json`; a directory without one is an unfinished or foreign backup. */
export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new BackupError(`${dir} holds no ${MANIFEST_FILE}: not a Lockwell backup, or one that did not finish`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupError(`${MANIFEST_FILE} is not valid JSON`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new BackupError(
      `${MANIFEST_FILE} is not a ${BACKUP_FORMAT} manifest (${first.path.join('.') || 'root'}: ${first.message})`,
    );
  }
  const services = new Set(parsed.data.databases.map((d) => d.service));
  if (services.size !== SERVICE_NAMES.length)
    throw new BackupError(`${MANIFEST_FILE} must list each of the ${SERVICE_NAMES.length} services once`);
  return parsed.data;
}

/** Checks every dump's size and SHA-256 against the manifest (a truncated copy or bit rot stops the restore). */
export async function verifyDumps(dir: string, manifest: Manifest): Promise<void> {
  for (const db of manifest.databases) {
    const file = path.join(dir, db.file);
    const size = await stat(file).then(
      (s) => s.size,
      () => -1,
    );
    if (size < 0) throw new BackupError(`${db.file} is missing from the backup`);
    if (size !== db.bytes)
      throw new BackupError(`${db.file} has ${size} bytes, the manifest says ${db.bytes}: the backup is damaged`);
    if ((await sha256File(file)) !== db.sha256)
      throw new BackupError(`${db.file} does not match its SHA-256 in the manifest: the backup is damaged`);
  }
}

/** -1, 0 or 1 as semantic version `a` is older than, equal to or newer than `b` (pre-release tags ignored). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[-+]/)[0].split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  return 0;
}
