import type { Pool, PoolClient } from 'pg';

/**
 * Gives a pool slot back when its connection dies while checked out. Kysely (under MikroORM 7) releases a
 * transaction's connection only after its COMMIT or ROLLBACK succeeded; when PostgreSQL crashes mid-transaction
 * both fail, the dead client is never released, and the pool loses that slot for good: after a few crashes
 * every request waits for a connection that never comes. node-postgres emits `end` on a client whose socket
 * closed, so we release it with an error (the pool then discards it) and make the later release a no-op.
 */
export function reclaimBrokenConnections(pool: Pool): void {
  const checkedOut = new Set<PoolClient>();
  const watched = new WeakSet<PoolClient>();
  pool.on('acquire', (client) => {
    checkedOut.add(client);
    if (watched.has(client)) return;
    watched.add(client);
    client.once('end', () => {
      if (!checkedOut.delete(client)) return;
      const release = client.release;
      client.release = () => undefined;
      release(new Error('connection lost while checked out'));
    });
  });
  pool.on('release', (_err, client) => checkedOut.delete(client));
}
