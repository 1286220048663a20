import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

// An arbitrary constant: every replica of every service takes the same lock on its own database.
const MIGRATION_LOCK = 7_120_426_113;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so replicas starting together migrate once
 * (MikroORM's migrator takes no lock of its own). Returns the names applied.
 */
export async function migrateWithLock(orm: MikroORM): Promise<string[]> {
  const em = orm.em.fork() as EntityManager;
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  });
}
