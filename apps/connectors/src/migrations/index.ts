import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261210110000Connectors } from './migration-20261210110000-connectors.js';

/** The connectors database's migrations, oldest first (explicit list: runs the same from dist and under jest). */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261210110000Connectors', class: Migration20261210110000Connectors },
];
