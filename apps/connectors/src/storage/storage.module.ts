import { Module } from '@nestjs/common';
import { ConnectorVault } from './connector-vault.js';

/** Credentials and tokens, stored through the vault. */
@Module({ providers: [ConnectorVault], exports: [ConnectorVault] })
export class StorageModule {}
