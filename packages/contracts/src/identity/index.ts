export * from './access.contracts.js';
export * from './auth.contracts.js';
export * from './users.contracts.js';
export * from './roles.contracts.js';
export * from './tokens.contracts.js';
export * from './token-permissions.js';
