export * from './notification.contracts.js';
export * from './webhook.contracts.js';
export * from './alert.events.js';
