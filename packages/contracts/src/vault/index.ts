export * from './secret.schemas.js';
export * from './secret.contracts.js';
export * from './secret.events.js';
export * from './connector-secret.contracts.js';
