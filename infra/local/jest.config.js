import base from '../../jest.config.base.js';
// Tests of the repository's own tooling (the test summary); plain JavaScript modules, no build.
export default { ...base, testMatch: ['<rootDir>/test/**/*.spec.ts'] };
