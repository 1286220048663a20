import base, { withInfra } from '../jest.config.base.js';

// Each e2e file boots a whole system (six services + gateway + its own nats-server); two at a time is
// what two cores carry.
export default withInfra({ ...base, testMatch: ['<rootDir>/**/*.e2e.spec.ts'], testTimeout: 60000, maxWorkers: 2 });
