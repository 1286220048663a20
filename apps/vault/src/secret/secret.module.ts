import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CipherModule } from '../cipher/cipher.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { ReadRecorder } from './read-recorder.js';
import { SecretLookup } from './secret-lookup.js';
import { SecretUsageRepository } from './secret-usage.repository.js';
import { SecretVersionRepository } from './secret-version.repository.js';
import { SecretVersions } from './secret-versions.js';
import { SecretHandler } from './secret.handler.js';
import { SecretRepository } from './secret.repository.js';
import { SecretService } from './secret.service.js';

/**
 * Secrets of both scopes and their tables (secrets, versions, where-used: one aggregate, deleted together).
 * Exports the lookup of one secret for a caller, its sealed versions and the tables to the features built on a
 * secret (version history, where-used, lifecycle, purge).
 */
@Module({
  imports: [AuditModule, CipherModule, KeysModule],
  controllers: [SecretHandler],
  providers: [
    SecretRepository,
    SecretVersionRepository,
    SecretUsageRepository,
    SecretLookup,
    SecretVersions,
    SecretService,
    ReadRecorder,
  ],
  exports: [SecretRepository, SecretVersionRepository, SecretUsageRepository, SecretLookup, SecretVersions],
})
export class SecretModule {}
