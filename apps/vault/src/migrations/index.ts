import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126120000VaultInit } from './migration-20261126120000-vault-init.js';
import { Migration20261126130000VaultTypeIndex } from './migration-20261126130000-vault-type-index.js';
import { Migration20261210100000VaultConnectorSecrets } from './migration-20261210100000-vault-connector-secrets.js';

/** The vault database's migrations, oldest first (explicit list: runs the same from dist and under jest). */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261126120000VaultInit', class: Migration20261126120000VaultInit },
  { name: 'Migration20261126130000VaultTypeIndex', class: Migration20261126130000VaultTypeIndex },
  { name: 'Migration20261210100000VaultConnectorSecrets', class: Migration20261210100000VaultConnectorSecrets },
];
