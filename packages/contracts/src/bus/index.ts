export * from './identities.js';
export * from './subscriptions.js';
export * from './topology.js';
export * from './bus-policy.js';
