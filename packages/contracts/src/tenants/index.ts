export * from './membership.contracts.js';
export * from './tenant.contracts.js';
export * from './member.contracts.js';
