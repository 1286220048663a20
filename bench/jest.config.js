import base, { withInfra } from '../jest.config.base.js';

// Benchmarks reuse the e2e harness (a whole system in-process) but never run as part of `npm test`.
export default withInfra({
  ...base,
  rootDir: '.',
  testMatch: ['<rootDir>/*.bench.ts'],
  testTimeout: 300_000,
  maxWorkers: 1,
});
