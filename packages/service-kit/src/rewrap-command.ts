import { MikroORM } from '@mikro-orm/postgresql';
import type { MigrationObject } from '@mikro-orm/core';
import type { MasterKeyRing } from '@lockwell/crypto';
import { systemContext, type CallContext, type ServiceName } from '@lockwell/contracts';
import { systemClock } from './clock.js';
import { databaseToolConfigSchema, loadConfigOrExit } from './config/load-config.js';
import { ormOptions } from './database/orm-options.js';
import { loadMasterKeyRing } from './master-key.js';
import { Outbox } from './outbox/outbox.service.js';

/** What a rewrap reports: `remaining` keys still sealed under an older master key (0 when done). */
export interface RewrapReport {
  remaining: number;
}

/**
 * The operator command `rotate-master-key` of one service (infra/lockwell-cli.sh runs each service's in turn):
 * against the service's database (DATABASE_URL, LOCKWELL_MASTER_KEY or LOCKWELL_MASTER_KEY_FILE) and without
 * NATS, re-seals what the service keeps under the master key, prints the result as JSON and exits 1 while
 * anything is left under an older key. `usage` is printed, with exit code 2, for any other command line.
 */
export async function runRewrapCommand<A extends object = object>(opts: {
  service: ServiceName;
  migrations: MigrationObject[];
  usage: string;
  /** Parses the arguments after the command, or returns null when they are wrong. */
  parseArgs?: (args: string[]) => A | null;
  rewrap: (
    deps: { orm: MikroORM; ring: MasterKeyRing; outbox: Outbox },
    ctx: CallContext,
    args: A,
  ) => Promise<RewrapReport>;
}): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const args = command === 'rotate-master-key' ? (opts.parseArgs ? opts.parseArgs(rest) : ({} as A)) : null;
  if (!args) {
    process.stderr.write(`${opts.usage}\n`);
    process.exit(2);
  }
  const config = loadConfigOrExit(databaseToolConfigSchema);
  const orm = await MikroORM.init(ormOptions(config.DATABASE_URL, { entities: [], migrations: opts.migrations }));
  try {
    const deps = { orm, ring: loadMasterKeyRing(config), outbox: new Outbox(systemClock, opts.service) };
    const result = await opts.rewrap(deps, systemContext('cli-rotate-master-key'), args);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exitCode = result.remaining === 0 ? 0 : 1;
  } finally {
    await orm.close();
  }
}
