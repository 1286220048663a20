import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module.js';
import { ConnectorSecretHandler } from './connector-secret.handler.js';
import { ConnectorSecretRepository } from './connector-secret.repository.js';
import { ConnectorSecretService } from './connector-secret.service.js';

/**
 * The connectors service's store: client credentials and connection tokens under per-scope data keys. Exports
 * its table to the purge (a deleted tenant's or user's connection tokens go with their data keys).
 */
@Module({
  imports: [KeysModule],
  controllers: [ConnectorSecretHandler],
  providers: [ConnectorSecretRepository, ConnectorSecretService],
  exports: [ConnectorSecretRepository],
})
export class ConnectorSecretModule {}
