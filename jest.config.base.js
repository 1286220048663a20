// Shared jest config: native ESM (NestJS 12 and MikroORM 7 are ESM-only) with SWC, which keeps
// legacy decorators and decorator metadata (MikroORM's ReflectMetadataProvider reads design:type).
export const swcJestTransform = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const base = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': swcJestTransform },
  testTimeout: 30000,
};
export default base;

/** For suites that need PostgreSQL (integration and e2e): one throwaway cluster per jest run. */
export const withInfra = (config) => ({
  ...config,
  globalSetup: new URL('./infra/local/jest-global-setup.js', import.meta.url).pathname,
  globalTeardown: new URL('./infra/local/jest-global-teardown.js', import.meta.url).pathname,
});

/** Unit tests: `src/**\/*.spec.ts` beside the code (and `test/**\/*.spec.ts`), no PostgreSQL, no NATS, collaborators faked. */
export const UNIT_TESTS = {
  displayName: 'unit',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.int\\.spec\\.ts$'],
};

/** Integration tests: `test/**\/*.int.spec.ts`, against a real PostgreSQL (one cluster per run) and a nats-server per file. */
export const INTEGRATION_TESTS = withInfra({
  displayName: 'integration',
  testMatch: ['<rootDir>/test/**/*.int.spec.ts'],
});

/**
 * The jest configuration of a service or package with both tiers: two projects, so `jest --selectProjects unit`
 * runs the unit tests alone without starting PostgreSQL, and `npm test` runs both (docs/testing.md "Tiers").
 * The top level is the plain base, which tools that take one project (Stryker) narrow themselves.
 */
export function tieredConfig(configFileUrl) {
  const rootDir = new URL('.', configFileUrl).pathname;
  return {
    ...base,
    rootDir,
    projects: [
      { ...base, rootDir, ...UNIT_TESTS },
      { ...base, rootDir, ...INTEGRATION_TESTS },
    ],
  };
}
