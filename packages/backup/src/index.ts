export * from './errors.js';
export * from './targets.js';
export * from './manifest.js';
export * from './key-check.js';
export * from './backup.js';
export * from './restore.js';
