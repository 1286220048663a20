import { Module, type DynamicModule } from '@nestjs/common';
import { defineService, ServiceKitModule, TenantPurgeModule, type ServiceAppOptions } from '@lockwell/service-kit';
import { configSchema, type Config } from './config.js';
import { migrations } from './migrations/index.js';
import { ConnectorSecretModule } from './connector-secret/connector-secret.module.js';
import { KeysModule } from './keys/keys.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { PurgeConsumer } from './purge/purge.consumer.js';
import { PurgeModule } from './purge/purge.module.js';
import { SecretModule } from './secret/secret.module.js';
import { UsageModule } from './usage/usage.module.js';
import { VersionModule } from './version/version.module.js';
import { VAULT_SETTINGS, vaultSettingsFrom } from './vault-settings.js';

export type AppOptions = ServiceAppOptions<Config>;

@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forService({
          name: 'vault',
          ...opts,
          database: { entities: [], migrations },
          settings: { provide: VAULT_SETTINGS, useValue: vaultSettingsFrom(opts.config) },
        }),
        KeysModule,
        SecretModule,
        VersionModule,
        UsageModule,
        LifecycleModule,
        ConnectorSecretModule,
        TenantPurgeModule.register({ imports: [PurgeModule], purger: PurgeConsumer }),
      ],
    };
  }
}

/** The vault service: its name in the service list, its config and its root module (main.ts, tests and e2e start it from this). */
export const service = defineService({ name: 'vault', configSchema, module: (opts) => AppModule.register(opts) });
