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
import { SigningKeyRewrap } from '../signing-key/signing-key-rewrap.js';
import { SigningKeyRepository } from '../signing-key/signing-key.repository.js';
import { migrations } from '../migrations/index.js';

// Identity's part of `npm run lockwell -- rotate-master-key` (infra/lockwell-cli.sh): re-seals the JWT signing
// keys under the active master key, against the identity database (DATABASE_URL, LOCKWELL_MASTER_KEY or
// LOCKWELL_MASTER_KEY_FILE), without NATS.
const USAGE = 'usage: lockwell rotate-master-key';

if (process.argv[2] !== 'rotate-master-key') {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

const config = loadConfigOrExit(databaseToolConfigSchema);
const orm = await MikroORM.init(ormOptions(config.DATABASE_URL, { entities: [], migrations }));
try {
  const rewrap = new SigningKeyRewrap(
    orm,
    loadMasterKeyRing(config),
    new Outbox(systemClock, 'identity'),
    new SigningKeyRepository(),
  );
  const result = await rewrap.rewrap(systemContext('cli-rotate-master-key'));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.remaining === 0 ? 0 : 1;
} finally {
  await orm.close();
}
