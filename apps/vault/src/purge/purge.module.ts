import { Module } from '@nestjs/common';
import { ConnectorSecretModule } from '../connector-secret/connector-secret.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { SecretModule } from '../secret/secret.module.js';
import { PurgeConsumer } from './purge.consumer.js';

/** Crypto-shredding of a deleted tenant or user. Exports the purger to the kit's TenantPurgeModule. */
@Module({
  imports: [KeysModule, SecretModule, ConnectorSecretModule],
  providers: [PurgeConsumer],
  exports: [PurgeConsumer],
})
export class PurgeModule {}
