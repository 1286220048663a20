export * from './common.js';
export * from './errors.js';
export * from './permissions.js';
export * from './principal.js';
export * from './rpc.js';
export * from './events.js';
export * from './health/health.contracts.js';
export * from './audit/audit-record.js';
