// Jest globalSetup for integration and e2e suites: one throwaway PostgreSQL cluster on a free port, in a
// fresh temp directory, shared by every test file of the jest run (each file creates its own databases).
// NATS is started per test file (see @lockwell/testing startTestNats) so parallel files never share queue
// groups. Tests find Postgres through LOCKWELL_TEST_PG_URL, a URL template with `{db}`.
// The cluster is durable unless the test runner asks for speed: infra/jest.sh (what `npm test` runs) sets
// LOCKWELL_TEST_PG_DURABILITY=fast (fsync, full_page_writes and synchronous_commit off). Nothing else sets it,
// and a test that crashes PostgreSQL on purpose starts a durable cluster of its own.
import { mkdtempSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startPostgres, ensureNatsServer } from './index.js';

export default async function globalSetup() {
  // A cluster started by the caller for many jest runs (infra/mutation.sh runs jest once per mutant).
  if (process.env.LOCKWELL_TEST_PG_EXTERNAL === '1' && process.env.LOCKWELL_TEST_PG_URL) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-test-'));
  chmodSync(dir, 0o755); // the postgres system user must reach the cluster directory when we are root
  ensureNatsServer();
  const durability = process.env.LOCKWELL_TEST_PG_DURABILITY === 'fast' ? 'fast' : 'durable';
  const pg = await startPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), durability });
  process.env.LOCKWELL_TEST_PG_URL = pg.url('{db}');
  process.env.LOCKWELL_TEST_DIR = dir;
  globalThis.__lockwellInfra = { pg, dir };
}
