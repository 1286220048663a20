import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126100000Tenants } from './migration-20261126100000-tenants.js';

/** The tenants database's migrations, oldest first (explicit list: runs the same from dist and under jest). */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261126100000Tenants', class: Migration20261126100000Tenants },
];
