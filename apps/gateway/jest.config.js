import { tieredConfig } from '../../jest.config.base.js';

// Unit tests (src/**/*.spec.ts) and integration tests (test/**/*.int.spec.ts) as two jest projects.
export default tieredConfig(import.meta.url);
