// The typed client is generated from docs/openapi.json, which the route-inventory e2e test keeps equal to the
// gateway's routes: together they make an API change show up as a client change in review.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('generated client', () => {
  it('src/generated/openapi.ts is what the generator makes from the committed docs/openapi.json', () => {
    const run = spawnSync(process.execPath, [path.join(here, '../../sdk-codegen/generate.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('loads as CommonJS from dist/cjs as well as ESM from dist/esm', () => {
    const pkg = path.join(here, '..');
    const cjs = spawnSync(
      process.execPath,
      [
        '-e',
        `const s = require(${JSON.stringify(pkg)}); process.stdout.write(typeof s.LockwellClient + s.deriveEnvName('a', 'b'))`,
      ],
      { encoding: 'utf8' },
    );
    expect(cjs.stdout).toBe('functionA_B');
    const esm = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { LockwellClient } from '@lockwell/sdk'; process.stdout.write(typeof LockwellClient)`,
      ],
      { encoding: 'utf8', cwd: pkg },
    );
    expect(esm.stdout).toBe('function');
  });
});
