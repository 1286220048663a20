import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261204170000Notifications } from './migration-20261204170000-notifications.js';

/** The notifications database's migrations, oldest first (explicit list: runs the same from dist and under jest). */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261204170000Notifications', class: Migration20261204170000Notifications },
];
