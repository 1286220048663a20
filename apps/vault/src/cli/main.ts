import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { systemContext } from '@lockwell/contracts';
import {
  databaseToolConfigSchema,
  loadConfigOrExit,
  loadMasterKeyRing,
  ormOptions,
  Outbox,
  systemClock,
} from '@lockwell/service-kit';
import { DataKeyRepository } from '../keys/data-key.repository.js';
import { MasterKeyRotation } from '../keys/master-key-rotation.service.js';
import { migrations } from '../migrations/index.js';

// Operator commands that run against the vault database (DATABASE_URL, LOCKWELL_MASTER_KEY or
// LOCKWELL_MASTER_KEY_FILE), without NATS. infra/lockwell-cli.sh runs identity's counterpart too.
const USAGE = 'usage: lockwell rotate-master-key [--batch-size N]';

const [command, ...args] = process.argv.slice(2);
if (command !== 'rotate-master-key') {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
const batchIndex = args.indexOf('--batch-size');
const batchSize = batchIndex >= 0 ? Number(args[batchIndex + 1]) : 500;
if (!Number.isInteger(batchSize) || batchSize < 1) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

const config = loadConfigOrExit(databaseToolConfigSchema);
const orm = await MikroORM.init(ormOptions(config.DATABASE_URL, { entities: [], migrations }));
try {
  const rotation = new MasterKeyRotation(
    orm,
    loadMasterKeyRing(config),
    new Outbox(systemClock, 'vault'),
    new DataKeyRepository(),
  );
  const result = await rotation.rewrap(systemContext('cli-rotate-master-key'), { batchSize });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.remaining === 0 ? 0 : 1;
} finally {
  await orm.close();
}
