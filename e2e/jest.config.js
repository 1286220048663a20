import base, { withInfra } from '../jest.config.base.js';

// Each e2e file boots a whole system (six services + gateway + its own nats-server); two at a time is
// what two cores carry. The fault-injection suite (minutes of load on eight processes of its own) runs only
// under `npm run test:resilience`, which sets LOCKWELL_RESILIENCE=1 (docs/operations.md "Fault injection under load").
const ignored = process.env.LOCKWELL_RESILIENCE === '1' ? [] : ['/resilience-faults\\.e2e\\.spec\\.ts$'];

export default withInfra({
  ...base,
  testMatch: ['<rootDir>/**/*.e2e.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...ignored],
  testTimeout: 60000,
  maxWorkers: 2,
});
