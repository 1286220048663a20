export * from './service.contracts.js';
export * from './connection.contracts.js';
