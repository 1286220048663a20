import pg from 'pg';

/**
 * Creates the service's database when it does not exist yet. MikroORM's `ensureDatabase` does the same, but
 * replicas of one service starting together on a fresh cluster race to create it and the loser stopped with a
 * duplicate-name error; here that error means a sibling created it, which is all we wanted. Like MikroORM, it
 * goes to the `postgres` maintenance database only when the service's own is missing.
 */
export async function createDatabaseIfMissing(url: string): Promise<void> {
  if (await canConnect(url)) return;
  const maintenance = new URL(url);
  const name = decodeURIComponent(maintenance.pathname.slice(1));
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(`create database ${client.escapeIdentifier(name)}`);
  } catch (err) {
    // 42P04 duplicate_database; 23505 when the two creations collide on pg_database's unique index.
    if (!['42P04', '23505'].includes((err as { code?: string }).code ?? '')) throw err;
  } finally {
    await client.end();
  }
}

/** True when the database answers; false only when it does not exist (3D000); anything else is thrown. */
async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '3D000') return false;
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}
