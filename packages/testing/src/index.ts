// The one test kit (docs/architecture.md "How to write a service": tests). Integration tests start the service
// under test with startServiceUnderTest; unit tests use the call contexts and the fakes of unit.ts.
export * from './infra.js';
export * from './call-context.js';
export * from './events.js';
export * from './stand-in.js';
export * from './service-under-test.js';
export * from './unit.js';
