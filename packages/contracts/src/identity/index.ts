export * from './access.contracts.js';
