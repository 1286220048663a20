import { Module } from '@nestjs/common';
import { DataKeyRepository } from './data-key.repository.js';
import { DataKeyService } from './data-key.service.js';
import { MasterKeyHandler } from './master-key.handler.js';
import { MasterKeyRotation } from './master-key-rotation.service.js';
import { PurgedScopeRepository } from './purged-scope.repository.js';

/**
 * Per-scope data keys under the master key ring, master-key rotation and the record of shredded scopes.
 * Exports the data keys to the cipher, and the tables a purge empties or a create checks.
 */
@Module({
  controllers: [MasterKeyHandler],
  providers: [DataKeyRepository, DataKeyService, MasterKeyRotation, PurgedScopeRepository],
  exports: [DataKeyService, DataKeyRepository, PurgedScopeRepository],
})
export class KeysModule {}
