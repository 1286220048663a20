// `npm run new:service -- NAME` (infra/new-service.mjs) produces a service that builds, is registered and passes
// its own tests. It runs here against a scratch copy of what a service depends on (the kit's packages, the
// shared configs, the registry files), so the real checkout is never touched: the contracts are rebuilt with the
// new name, the service is built and typechecked, and its jest tiers run (its integration test boots it and asks
// its health check, on this jest run's PostgreSQL).
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import yaml from 'js-yaml';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (tool: string) => path.join(root, 'node_modules/.bin', tool);
// The workspaces a service depends on, under the names node resolves them by.
const KIT = {
  contracts: 'packages/contracts',
  'service-kit': 'packages/service-kit',
  crypto: 'packages/crypto',
  testing: 'packages/testing',
  'local-infra': 'infra/local',
};
const NAME = 'scaffolded';

/** A checkout with the kit's workspaces copied (sources and builds), everything else linked from this one. */
function scratchCheckout(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-new-service-'));
  for (const file of [
    '.prettierrc.json',
    'tsconfig.base.json',
    'jest.config.base.js',
    'turbo.json',
    'docker-compose.yml',
    'infra/new-service.mjs',
    'apps/vault/package.json',
  ]) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(root, file), path.join(dir, file));
  }
  mkdirSync(path.join(dir, 'node_modules/@lockwell'), { recursive: true });
  for (const entry of readdirSync(path.join(root, 'node_modules'))) {
    if (entry !== '@lockwell' && entry !== '.bin')
      symlinkSync(path.join(root, 'node_modules', entry), path.join(dir, 'node_modules', entry));
  }
  for (const [name, workspace] of Object.entries(KIT)) {
    cpSync(path.join(root, workspace), path.join(dir, workspace), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}node_modules`),
    });
    symlinkSync(path.join(dir, workspace), path.join(dir, 'node_modules/@lockwell', name));
  }
  return dir;
}

describe('npm run new:service', () => {
  let dir: string;
  beforeAll(() => {
    dir = scratchCheckout();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('scaffolds a service that is registered, builds, and passes its tests', async () => {
    await run('node', [path.join(dir, 'infra/new-service.mjs'), NAME, '--root', dir, '--no-install']);

    // Registered: in the one list, in compose (its container and bus credential), and built before the e2e tests.
    expect(readFileSync(path.join(dir, 'packages/contracts/src/services.ts'), 'utf8')).toMatch(
      new RegExp(`SERVICE_NAMES = \\[[^\\]]*'audit',\\s*'${NAME}',?\\s*\\] as const`),
    );
    const compose = yaml.load(readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { volumes?: string[]; depends_on?: string[] }>;
      volumes: Record<string, null>;
    };
    expect(compose.services[NAME]!.volumes).toEqual([`bus-${NAME}:/run/lockwell/bus:ro`]);
    expect(compose.services['bus-setup']!.volumes).toContain(`bus-${NAME}:/bus/${NAME}`);
    expect(compose.services.gateway!.depends_on).toContain(NAME);
    expect(Object.keys(compose.volumes)).toContain(`bus-${NAME}`);
    const turbo = JSON.parse(readFileSync(path.join(dir, 'turbo.json'), 'utf8')) as {
      tasks: Record<string, { dependsOn: string[] }>;
    };
    expect(turbo.tasks['@lockwell/e2e#test']!.dependsOn).toContain(`@lockwell/${NAME}#build`);

    // Formatted as npm run format prints it.
    await run(bin('prettier'), ['--check', `apps/${NAME}/**/*.{ts,js}`, 'packages/contracts/src/services.ts'], {
      cwd: dir,
    });

    // Builds: the contracts with the new name, then the service (build and typecheck of its tests).
    await run(bin('tsc'), ['-p', 'packages/contracts/tsconfig.build.json'], { cwd: dir });
    const app = path.join(dir, 'apps', NAME);
    await run(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: app });
    await run(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: app });
    expect(readdirSync(path.join(app, 'dist'))).toEqual(
      expect.arrayContaining(['main.js', 'app.module.js', 'config.js']),
    );

    // Its tests pass, on the PostgreSQL this jest run already started.
    const env = {
      ...process.env,
      LOCKWELL_TEST_PG_EXTERNAL: '1',
      NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning',
    };
    const { stderr } = await run(process.execPath, [path.join(root, 'node_modules/jest/bin/jest.js'), '--ci'], {
      cwd: app,
      env,
    });
    expect(stderr).toMatch(/Tests:\s+1 passed, 1 total/);
  }, 180_000);
});
