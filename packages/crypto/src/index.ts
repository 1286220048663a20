// Public surface of @lockwell/crypto.
export * from './errors.js';
export * from './aead.js';
export * from './master-key-ring.js';
export * from './envelope.js';
export * from './tokens.js';
export * from './passwords.js';
export * from './certificates.js';
