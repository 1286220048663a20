import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceKitModule, type ServiceAppOptions } from '@lockwell/service-kit';
import type { Config } from './config.js';
import { migrations } from './migrations/index.js';
import { VaultModule } from './vault.module.js';
import { ConnectorSecretModule } from './connector-secret/connector-secret.module.js';
import { VAULT_SETTINGS, vaultSettingsFrom } from './vault-settings.js';

export type AppOptions = ServiceAppOptions<Config>;

/** Vault settings, global so feature providers inject them like the kit's tokens. */
@Module({})
class VaultSettingsModule {
  static register(config: Config): DynamicModule {
    return { module: VaultSettingsModule, global: true, providers: [{ provide: VAULT_SETTINGS, useValue: vaultSettingsFrom(config) }], exports: [VAULT_SETTINGS] };
  }
}

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forService({ name: 'vault', ...opts, database: { entities: [], migrations } }), VaultSettingsModule.register(opts.config), VaultModule, ConnectorSecretModule],
    };
  }
}
