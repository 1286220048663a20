import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';
import { OutboxMessage } from '../outbox/outbox-message.entity.js';
import { ProcessedEvent } from '../inbox/processed-event.entity.js';
import { Migration20261125000000KitOutbox } from './kit-migration.js';
import { reclaimBrokenConnections } from './broken-connections.js';

export interface ServiceDatabase {
  /** The service's entities (the kit adds its own). */
  entities: Function[];
  /** The service's migrations in order (the kit's run first). */
  migrations: MigrationObject[];
}

export interface ConnectionTuning {
  /** Longest wait for a pooled connection (or a new one) before the call fails with 503; below the RPC deadline. */
  acquireTimeoutMs?: number;
  /** Shown in pg_stat_activity (`lockwell-vault`), so operators and the restore command can tell who is connected. */
  applicationName?: string;
  debug?: boolean;
}

const DEFAULT_ACQUIRE_TIMEOUT_MS = 3000;
// A session left idle inside a transaction (its process froze or lost the network) is ended by the server, so
// it cannot hold row locks for longer than this.
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * MikroORM options for one service database. Entities and migrations are explicit lists (no folder
 * globbing), so the same build runs from dist and under jest; the database is created if missing.
 * MikroORM 7 hands `pool` (min, max, idleTimeoutMillis) and `driverOptions` to node-postgres' Pool: dead
 * connections leave the pool (idle ones by themselves, checked-out ones through reclaimBrokenConnections), so
 * the service reconnects on its own after a database restart, and waiting for a connection is bounded, so an
 * outage answers 503 instead of hanging.
 */
export function ormOptions(clientUrl: string, db: ServiceDatabase, tuning: ConnectionTuning = {}): Options {
  return defineConfig({
    clientUrl,
    entities: [OutboxMessage, ProcessedEvent, ...db.entities],
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    allowGlobalContext: false,
    ensureDatabase: true,
    debug: tuning.debug ?? false,
    colors: false,
    pool: { min: 0, max: 10 },
    driverOptions: {
      connectionTimeoutMillis: tuning.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS,
      keepAlive: true,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
      ...(tuning.applicationName ? { application_name: tuning.applicationName } : {}),
      onPoolCreated: reclaimBrokenConnections,
    },
    migrations: {
      tableName: 'mikro_orm_migrations',
      // Migrations are hand-written SQL; the generator's schema snapshot would only litter the working directory.
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      migrationsList: [
        { name: 'Migration20261125000000KitOutbox', class: Migration20261125000000KitOutbox },
        ...db.migrations,
      ],
    },
  });
}
