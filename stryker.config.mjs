// Mutation testing of the security core (docs/testing.md). Run it with `npm run test:mutation`
// (infra/mutation.sh), which runs Stryker once per target below (jest rooted at the target's workspace: a
// workspace's tests import its sources, other workspaces through their built dist/) and then merges the
// reports into reports/mutation/ and prints the score per file.
//
// One target per run: STRYKER_TARGET=<name> stryker run stryker.config.mjs
import { readFileSync } from 'node:fs';
import { UNIT_TESTS, withInfra } from './jest.config.base.js';

// Each target runs one jest project: the shared base configuration rooted at its workspace (not the workspace's
// two projects, unit and integration), narrowed to the tests that can kill its mutants.
// Pure functions: their unit specs are enough, and no PostgreSQL/NATS start-up is paid per mutant.
const UNIT_ONLY = UNIT_TESTS;
/** The named integration suites (and the unit specs), with the jest run's PostgreSQL. */
const withIntegration = (...suites) =>
  withInfra({ testMatch: ['<rootDir>/src/**/*.spec.ts', ...suites.map((s) => `<rootDir>/test/${s}`)] });

/** `file:from-to`: the lines from the one containing `start` to the one before `end` (survives edits elsewhere). */
function methodLines(workspace, file, start, end) {
  const lines = readFileSync(new URL(`${workspace}/${file}`, import.meta.url), 'utf8').split('\n');
  const from = lines.findIndex((l) => l.includes(start)) + 1;
  const to = lines.findIndex((l) => l.includes(end));
  if (from < 1 || to < from) throw new Error(`cannot find ${start} .. ${end} in ${file}`);
  return `${file}:${from}-${to}`;
}

/** name -> workspace, files to mutate (relative to the repository root) and jest overrides. */
export const TARGETS = {
  crypto: {
    workspace: 'packages/crypto',
    mutate: ['src/aead.ts', 'src/envelope.ts', 'src/master-key-ring.ts', 'src/tokens.ts'],
  },
  contracts: {
    workspace: 'packages/contracts',
    mutate: ['src/permissions.ts', 'src/identity/token-permissions.ts'],
  },
  'service-kit': {
    workspace: 'packages/service-kit',
    mutate: ['src/authz/authorize.ts', 'src/rpc/call-signature.ts'],
    jest: UNIT_ONLY,
  },
  'vault-policy': {
    workspace: 'apps/vault',
    mutate: ['src/access/secret-access.policy.ts'],
    jest: UNIT_ONLY,
  },
  // Data keys and the value cipher run against a real PostgreSQL (the integration tests), started once per
  // Stryker run by infra/mutation.sh instead of once per mutant.
  'vault-keys': {
    workspace: 'apps/vault',
    mutate: ['src/cipher/secret-cipher.ts', 'src/keys/data-key.service.ts', 'src/keys/data-key-cache.ts'],
    // The suites about keys and the envelope; the others only repeat the same calls, at a boot per file.
    jest: withIntegration('security.int.spec.ts', 'envelope.int.spec.ts'),
  },
  'identity-policy': {
    workspace: 'apps/identity',
    mutate: ['src/api-token/api-token-permissions.ts', 'src/role/role-permissions.ts', 'src/role/grant-policy.ts'],
    jest: UNIT_ONLY,
  },
  'identity-sessions': {
    workspace: 'apps/identity',
    // Only refresh-token rotation and reuse detection (SES-4..SES-6): the auth service's refresh, the revoker, and
    // the session repository's statements they run.
    mutate: [
      methodLines('apps/identity', 'src/auth/auth.service.ts', 'async refresh(', 'async logout('),
      'src/session/session-revoker.ts',
      methodLines(
        'apps/identity',
        'src/session/session.repository.ts',
        '// --- refresh-token rotation',
        '// --- end of the code under mutation testing',
      ),
    ],
    jest: withIntegration('sessions.int.spec.ts', 'session-lifetimes.int.spec.ts'),
  },
  'tenants-policy': {
    workspace: 'apps/tenants',
    mutate: ['src/member/member-policy.ts', 'src/tenant/tenant-access.service.ts'],
    jest: UNIT_ONLY,
  },
  'gateway-auth': {
    workspace: 'apps/gateway',
    mutate: ['src/auth/revoked-sessions.ts', 'src/auth/principal.resolver.ts'],
    jest: UNIT_ONLY,
  },
};

const name = process.env.STRYKER_TARGET;
const target = TARGETS[name];
if (!target) throw new Error(`STRYKER_TARGET must be one of: ${Object.keys(TARGETS).join(', ')}`);

export default {
  testRunner: 'jest',
  plugins: ['@stryker-mutator/jest-runner', './infra/stryker-ignore.mjs'],
  ignorers: ['LockwellMessages'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.base.js',
    // perTest coverage already picks the tests that reach each mutant.
    enableFindRelatedTests: false,
    config: { rootDir: target.workspace, ...(target.jest ?? UNIT_ONLY) },
  },
  // Jest runs in native ESM mode here (NestJS 12 and MikroORM 7 are ESM-only).
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  coverageAnalysis: 'perTest',
  mutate: target.mutate.map((f) => `${target.workspace}/${f}`),
  // The sandbox is a copy of the repository without build output; node_modules is linked, so other
  // workspaces resolve to their (unmutated) dist/.
  ignorePatterns: ['**/dist', '.data', '.turbo', '.test-results', 'reports', '.git', 'docs', 'bench'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  // Incremental mode: results of mutants whose code and covering tests did not change are reused from the
  // committed report of the previous run (docs/testing.md).
  incremental: process.env.STRYKER_INCREMENTAL === '1',
  // A full run tests every mutant again but still records the results for the next incremental run.
  force: process.env.STRYKER_FORCE === '1',
  incrementalFile: `reports/mutation/incremental/${name}.json`,
  reporters: ['json', 'html', 'clear-text'],
  jsonReporter: { fileName: `reports/mutation/targets/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/targets/${name}.html` },
  clearTextReporter: { reportTests: false, reportMutants: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: 80 },
};
