// usage: npm run new:service -- NAME [--root DIR] [--no-install]
// Scaffolds apps/NAME, a backend service in the shape of docs/architecture.md ("Adding a service"): its
// definition (app.module.ts), config, migrations, main.ts, both jest tiers and an integration test that boots it
// on its own database and bus and asks its health check. Then registers it: the one list of services
// (packages/contracts/src/services.ts, from which subjects, bus permissions, the local runner and the e2e
// system derive), docker-compose.yml and turbo.json (checked against the list by e2e/service-registry.e2e.spec.ts),
// and runs `npm install` so the new workspace is linked. --root points it at another checkout (its test does).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const noInstall = args.includes('--no-install') ? (args.splice(args.indexOf('--no-install'), 1), true) : false;
const root = path.resolve(flag('--root') ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const [name] = args;

function fail(message) {
  process.stderr.write(
    `${message}\nusage: npm run new:service -- NAME   (NAME: lowercase letters and digits, e.g. billing)\n`,
  );
  process.exit(2);
}
// The name becomes a NATS subject token, a database name (lockwell_NAME), a package name and a folder.
if (!name || !/^[a-z][a-z0-9]{1,30}$/.test(name)) fail(`not a service name: ${name ?? '(none)'}`);
if (name === 'gateway' || name === 'console' || existsSync(path.join(root, 'apps', name)))
  fail(`apps/${name} already exists`);

const servicesFile = path.join(root, 'packages/contracts/src/services.ts');
const services = readFileSync(servicesFile, 'utf8');
const list = /export const SERVICE_NAMES = \[([^\]]*)\] as const;/.exec(services);
if (!list) fail(`cannot find SERVICE_NAMES in ${servicesFile}`);
if (list[1].includes(`'${name}'`)) fail(`${name} is already in the service list`);

const kitVersions = JSON.parse(readFileSync(path.join(root, 'apps/vault/package.json'), 'utf8'));
const pick = (deps, names) => Object.fromEntries(names.map((n) => [n, deps[n]]));

const files = {
  'package.json': `${JSON.stringify(
    {
      name: `@lockwell/${name}`,
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: {
        build: 'tsc -p tsconfig.build.json',
        typecheck: 'tsc -p tsconfig.json',
        test: 'bash ../../infra/jest.sh',
        start: 'node dist/main.js',
      },
      dependencies: kitVersions.dependencies,
      devDependencies: pick(kitVersions.devDependencies, [
        '@nestjs/testing',
        '@lockwell/local-infra',
        '@lockwell/testing',
      ]),
    },
    null,
    2,
  )}\n`,
  'tsconfig.json': `{ "extends": "../../tsconfig.base.json", "compilerOptions": { "rootDir": ".", "noEmit": true, "types": ["node", "jest"] }, "include": ["src", "test"] }\n`,
  'tsconfig.build.json': `{ "extends": "../../tsconfig.base.json", "compilerOptions": { "rootDir": "src", "outDir": "dist" }, "include": ["src"], "exclude": ["src/**/*.spec.ts"] }\n`,
  'jest.config.js': `import { tieredConfig } from '../../jest.config.base.js';

// Unit tests (src/**/*.spec.ts) and integration tests (test/**/*.int.spec.ts) as two jest projects.
export default tieredConfig(import.meta.url);
`,
  'src/main.ts': `import 'reflect-metadata';
import { runServiceMain } from '@lockwell/service-kit';
import { service } from './app.module.js';

await runServiceMain(service);
`,
  'src/config.ts': `import { defineServiceConfig } from '@lockwell/service-kit';
import type { z } from 'zod';

/** The ${name} service's settings; the only place it reads the environment (see README "Configuration"). */
export const configSchema = defineServiceConfig({});
export type Config = z.output<typeof configSchema>;
`,
  'src/migrations/index.ts': `import type { MigrationObject } from '@mikro-orm/core';

/** The ${name} database's migrations, oldest first (explicit list: runs the same from dist and under jest). */
export const migrations: MigrationObject[] = [];
`,
  'src/app.module.ts': `import { Module, type DynamicModule } from '@nestjs/common';
import { defineService, ServiceKitModule, type ServiceAppOptions } from '@lockwell/service-kit';
import { configSchema, type Config } from './config.js';
import { migrations } from './migrations/index.js';

export type AppOptions = ServiceAppOptions<Config>;

/**
 * The root module: the kit (config, logger, database, bus, outbox, health check) and one module per feature
 * folder (docs/architecture.md "Adding a feature"). Entities of every feature are listed here.
 */
@Module({})
export class AppModule {
  static register(opts: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forService({ name: '${name}', ...opts, database: { entities: [], migrations } })],
    };
  }
}

/** The ${name} service: its name in the service list, its config and its root module (main.ts, tests and e2e start it from this). */
export const service = defineService({ name: '${name}', configSchema, module: (opts) => AppModule.register(opts) });
`,
  [`test/${name}.int.spec.ts`]: `import { HealthCheck, systemContext } from '@lockwell/contracts';
import { startServiceUnderTest, type ServiceUnderTest } from '@lockwell/testing';
import { service } from '../src/app.module.js';

// The service boots the way main.ts starts it, on a database and a nats-server of this test's own.
describe('${name}', () => {
  let ${name}: ServiceUnderTest;
  beforeAll(async () => {
    ${name} = await startServiceUnderTest(service);
  });
  afterAll(async () => {
    await ${name}?.stop();
  });

  it('answers its health check over the bus, with its database reachable', async () => {
    await expect(${name}.rpc.request(HealthCheck['${name}'], {}, systemContext('${name}-test'))).resolves.toMatchObject({ service: '${name}', status: 'ok', database: true });
  });
});
`,
};

/** Writes code as `npm run format` would print it, so the format check of npm test passes at once. */
async function writeCode(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  const code = /\.(ts|js)$/.test(file)
    ? await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file })
    : text;
  writeFileSync(file, code);
}

const app = path.join(root, 'apps', name);
for (const [file, text] of Object.entries(files)) await writeCode(path.join(app, file), text);

// The one list of services.
await writeCode(
  servicesFile,
  services.replace(list[0], `export const SERVICE_NAMES = [${list[1].trim().replace(/,$/, '')}, '${name}'] as const;`),
);

// turbo: the e2e tests boot every service, so they wait for its build.
const turboFile = path.join(root, 'turbo.json');
const turbo = JSON.parse(readFileSync(turboFile, 'utf8'));
const e2e = turbo.tasks['@lockwell/e2e#test'];
e2e.dependsOn.splice(e2e.dependsOn.indexOf('@lockwell/console#build'), 0, `@lockwell/${name}#build`);
writeFileSync(turboFile, `${JSON.stringify(turbo, null, 2)}\n`);

// docker-compose: its bus credential, its container, the gateway waiting for it.
const composeFile = path.join(root, 'docker-compose.yml');
let compose = readFileSync(composeFile, 'utf8');
const edit = (pattern, replace) => {
  if (!pattern.test(compose)) fail(`docker-compose.yml: cannot find ${pattern}`);
  compose = compose.replace(pattern, replace);
};
edit(/(\n      - bus-[a-z0-9]+:\/bus\/[a-z0-9]+)(\n\n  nats:)/, `$1\n      - bus-${name}:/bus/${name}$2`);
edit(
  /\n\n  gateway:\n/,
  `

  ${name}:
    <<: *service
    build: { context: ., dockerfile: infra/docker/Dockerfile, args: { APP: ${name} } }
    environment: { <<: *service-env, DATABASE_URL: "postgresql://lockwell:lockwell@postgres:5432/lockwell_${name}", LOCKWELL_NATS_SEED_FILE: /run/lockwell/bus/${name}.seed }
    volumes: ["bus-${name}:/run/lockwell/bus:ro"]

  gateway:
`,
);
edit(/(\n    depends_on: \[identity[^\]]*)\]/, `$1, ${name}]`);
compose = `${compose.trimEnd()}\n  bus-${name}:\n`;
writeFileSync(composeFile, compose);

process.stdout.write(
  `created apps/${name} and registered it (packages/contracts/src/services.ts, docker-compose.yml, turbo.json)\n`,
);
if (!noInstall) execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
process.stdout.write(
  `next: npm run build && (cd apps/${name} && npm test); add features as docs/architecture.md "Adding a feature" describes\n`,
);
