import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126110000Identity } from './migration-20261126110000-identity.js';

/** The identity database's migrations, oldest first (explicit list: runs the same from dist and under jest). */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261126110000Identity', class: Migration20261126110000Identity },
];
