export * from './test-oidc-provider.js';
