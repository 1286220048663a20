import type { MigrationObject } from '@mikro-orm/core';

/** The identity database's migrations, oldest first (explicit list: runs the same from dist and under jest). */
export const migrations: MigrationObject[] = [];
