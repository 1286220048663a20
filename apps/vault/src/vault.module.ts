import { Module } from '@nestjs/common';
import { DataKeyService } from './keys/data-key.service.js';
import { MasterKeyHandler } from './keys/master-key.handler.js';
import { MasterKeyRotation } from './keys/master-key-rotation.service.js';
import { LifecycleJob } from './lifecycle/lifecycle.job.js';
import { PurgeConsumer } from './purge/purge.consumer.js';
import { AuditedTransaction } from './secret/audited-transaction.js';
import { SecretCipher } from './secret/secret-cipher.js';
import { SecretHandler } from './secret/secret.handler.js';
import { SecretRepository } from './secret/secret.repository.js';
import { SecretService } from './secret/secret.service.js';
import { UsageHandler } from './usage/usage.handler.js';
import { UsageRepository } from './usage/usage.repository.js';
import { UsageService } from './usage/usage.service.js';
import { VersionHandler } from './version/version.handler.js';
import { VersionRepository } from './version/version.repository.js';
import { VersionService } from './version/version.service.js';

/** Secrets, versions, where-used, data keys, lifecycle and crypto-shredding. */
@Module({
  controllers: [SecretHandler, VersionHandler, UsageHandler, MasterKeyHandler],
  providers: [
    DataKeyService,
    MasterKeyRotation,
    SecretCipher,
    AuditedTransaction,
    SecretRepository,
    VersionRepository,
    UsageRepository,
    SecretService,
    VersionService,
    UsageService,
    LifecycleJob,
    PurgeConsumer,
  ],
  exports: [DataKeyService, AuditedTransaction, PurgeConsumer],
})
export class VaultModule {}
