// Stops what jest-global-setup.js started and removes its temp directory.
import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  const infra = globalThis.__lockwellInfra;
  if (!infra) return;
  await infra.pg.stop();
  rmSync(infra.dir, { recursive: true, force: true });
}
