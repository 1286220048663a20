import { Module } from '@nestjs/common';
import { VaultModule } from '../vault.module.js';
import { ConnectorSecretHandler } from './connector-secret.handler.js';
import { ConnectorSecretService } from './connector-secret.service.js';

/** The connectors service's store: client credentials and connection tokens under per-scope data keys. */
@Module({ imports: [VaultModule], controllers: [ConnectorSecretHandler], providers: [ConnectorSecretService] })
export class ConnectorSecretModule {}
