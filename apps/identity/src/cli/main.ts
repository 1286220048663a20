import 'reflect-metadata';
import { runRewrapCommand } from '@lockwell/service-kit';
import { SigningKeyRewrap } from '../signing-key/signing-key-rewrap.js';
import { SigningKeyRepository } from '../signing-key/signing-key.repository.js';
import { migrations } from '../migrations/index.js';

// Identity's part of `npm run lockwell -- rotate-master-key` (infra/lockwell-cli.sh): re-seals the JWT signing
// keys under the active master key.
await runRewrapCommand({
  service: 'identity',
  migrations,
  usage: 'usage: lockwell rotate-master-key',
  rewrap: ({ orm, ring, outbox }, ctx) =>
    new SigningKeyRewrap(orm, ring, outbox, new SigningKeyRepository()).rewrap(ctx),
});
