// npm run backup -- --out DIR   /   npm run restore -- DIR   (see README "Operating Lockwell").
import { CryptoError } from '@lockwell/crypto';
import { loadMasterKeyRing } from '@lockwell/service-kit';
import { takeBackup } from './backup.js';
import { loadBackupConfig } from './config.js';
import { BackupError } from './errors.js';
import { restoreBackup } from './restore.js';
import { resolveTargets } from './targets.js';

const USAGE = `usage: lockwell-backup backup --out DIR [--server URL] [--db SERVICE=URL ...]
       lockwell-backup restore DIR [--server URL] [--db SERVICE=URL ...] [--drop-previous]
  --server URL        a postgresql:// URL of the server holding lockwell_<service> databases
                      (default: npm start's PostgreSQL on 127.0.0.1:LOCKWELL_PG_PORT)
  --db SERVICE=URL    one service's database elsewhere (repeatable; e.g. --db vault=postgresql://u:p@h/vault)
  --drop-previous     drop the databases a restore replaces (default: keep them as <name>_pre_restore_<time>)
The master key ring comes from LOCKWELL_MASTER_KEY or LOCKWELL_MASTER_KEY_FILE, as for the services.`;

interface Args {
  command: 'backup' | 'restore';
  dir: string;
  server?: string;
  databases: Record<string, string>;
  dropPrevious: boolean;
}

function parseArgs(argv: string[]): Args | null {
  const [command, ...rest] = argv;
  if (command !== 'backup' && command !== 'restore') return null;
  const args: Args = { command, dir: '', databases: {}, dropPrevious: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => rest[++i] ?? '';
    if (arg === '--out' && command === 'backup') args.dir = value();
    else if (arg === '--server') args.server = value();
    else if (arg === '--db') {
      const [service, ...url] = value().split('=');
      args.databases[service] = url.join('=');
    } else if (arg === '--drop-previous' && command === 'restore') args.dropPrevious = true;
    else if (!arg.startsWith('--') && command === 'restore' && !args.dir) args.dir = arg;
    else return null;
  }
  return args.dir ? args : null;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(2)} MB`;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadBackupConfig();
  if (!config.LOCKWELL_MASTER_KEY && !config.LOCKWELL_MASTER_KEY_FILE) {
    throw new BackupError(
      "set LOCKWELL_MASTER_KEY or LOCKWELL_MASTER_KEY_FILE (the services' key ring): a backup records its check values, a restore compares them; the key itself is never written",
    );
  }
  const ring = loadMasterKeyRing(config);
  const targets = resolveTargets({
    server: args.server,
    databases: args.databases,
    defaultPort: config.LOCKWELL_PG_PORT,
  });
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
  if (args.command === 'backup') {
    const manifest = await takeBackup({ out: args.dir, targets, ring, binDir: config.LOCKWELL_PG_BIN, log });
    const bytes = manifest.databases.reduce((sum, d) => sum + d.bytes, 0);
    process.stdout.write(
      `backup written to ${args.dir}: ${manifest.databases.length} databases, ${mb(bytes)}, ${seconds()} s, snapshots ${manifest.consistency.spread_ms} ms apart\n`,
    );
    return 0;
  }
  const result = await restoreBackup({
    dir: args.dir,
    targets,
    ring,
    dropPrevious: args.dropPrevious,
    binDir: config.LOCKWELL_PG_BIN,
    log,
  });
  process.stdout.write(
    `restored ${result.manifest.databases.length} databases from ${args.dir} in ${seconds()} s; start the services now (they apply any newer migrations)\n`,
  );
  if (result.previous.length)
    process.stdout.write(
      `the replaced databases were kept: ${result.previous.join(', ')} (drop them once you are satisfied)\n`,
    );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Our refusals and master-key loading errors name the problem and never a secret: print them plainly.
    const known =
      err instanceof BackupError ||
      err instanceof CryptoError ||
      String((err as Error)?.message).startsWith('LOCKWELL_MASTER_KEY');
    process.stderr.write(
      `lockwell-backup: ${known ? (err as Error).message : `unexpected failure: ${(err as Error)?.stack ?? String(err)}`}\n`,
    );
    process.exit(1);
  },
);
