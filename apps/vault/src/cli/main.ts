import 'reflect-metadata';
import { runRewrapCommand } from '@lockwell/service-kit';
import { DataKeyRepository } from '../keys/data-key.repository.js';
import { MasterKeyRotation } from '../keys/master-key-rotation.service.js';
import { migrations } from '../migrations/index.js';

// The vault's part of `npm run lockwell -- rotate-master-key` (infra/lockwell-cli.sh): re-seals the data keys
// under the active master key, `--batch-size` keys per transaction.
await runRewrapCommand({
  service: 'vault',
  migrations,
  usage: 'usage: lockwell rotate-master-key [--batch-size N]',
  parseArgs: (args) => {
    const at = args.indexOf('--batch-size');
    const batchSize = at >= 0 ? Number(args[at + 1]) : 500;
    return Number.isInteger(batchSize) && batchSize >= 1 ? { batchSize } : null;
  },
  rewrap: ({ orm, ring, outbox }, ctx, args) =>
    new MasterKeyRotation(orm, ring, outbox, new DataKeyRepository()).rewrap(ctx, {
      batchSize: args.batchSize,
    }),
});
