export * from './membership.contracts.js';
