// Shared jest config: native ESM (NestJS 12 and MikroORM 7 are ESM-only) with SWC, which keeps
// legacy decorators and decorator metadata (MikroORM's ReflectMetadataProvider reads design:type).
export const swcJestTransform = ['@swc/jest', {
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
}];

export default {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': swcJestTransform },
  testTimeout: 30000,
};

/** For suites that need PostgreSQL (integration and e2e): one throwaway cluster per jest run. */
export const withInfra = (config) => ({
  ...config,
  globalSetup: new URL('./infra/local/jest-global-setup.js', import.meta.url).pathname,
  globalTeardown: new URL('./infra/local/jest-global-teardown.js', import.meta.url).pathname,
});
