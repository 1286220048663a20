import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';
import { OutboxMessage } from '../outbox/outbox-message.entity.js';
import { ProcessedEvent } from '../inbox/processed-event.entity.js';
import { Migration20261125000000KitOutbox } from './kit-migration.js';

export interface ServiceDatabase {
  /** The service's entities (the kit adds its own). */
  entities: Function[];
  /** The service's migrations in order (the kit's run first). */
  migrations: MigrationObject[];
}

/**
 * MikroORM options for one service database. Entities and migrations are explicit lists (no folder
 * globbing), so the same build runs from dist and under jest; the database is created if missing.
 */
export function ormOptions(clientUrl: string, db: ServiceDatabase, debug = false): Options {
  return defineConfig({
    clientUrl,
    entities: [OutboxMessage, ProcessedEvent, ...db.entities],
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    allowGlobalContext: false,
    ensureDatabase: true,
    debug,
    colors: false,
    pool: { min: 0, max: 10 },
    migrations: {
      tableName: 'mikro_orm_migrations',
      // Migrations are hand-written SQL; the generator's schema snapshot would only litter the working directory.
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      migrationsList: [{ name: 'Migration20261125000000KitOutbox', class: Migration20261125000000KitOutbox }, ...db.migrations],
    },
  });
}
