// @lockwell/sdk: the typed Lockwell API client for applications, the CLI and the web console.
export {
  LockwellClient,
  loginWithPassword,
  type ApiClient,
  type ApiError,
  type LockwellClientOptions,
} from './client.js';
export type { Credentials } from './auth/credentials.js';
export { MemorySessionStore, type SessionStore, type SessionTokens } from './auth/session-store.js';
export {
  ClientErrorCode,
  LockwellApiError,
  LockwellError,
  LockwellNetworkError,
  isTransient,
  type ErrorDetail,
} from './errors.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './http/retry-policy.js';
export type { FetchLike } from './http/transport.js';
export { unwrap } from './http/unwrap.js';
export type { ConnectionToken, ConnectionTokenOptions } from './connections/connection-tokens.js';
export { buildEnv, deriveEnvName, type EnvBuild, type EnvCandidate, type EnvCollision } from './secrets/env-names.js';
export {
  EnvNameCollisionError,
  type EnvQuery,
  type Secret,
  type SecretFilter,
  type SecretMetadata,
  type SecretRef,
} from './secrets/secret-reader.js';
export type { CacheOptions } from './secrets/value-cache.js';
export type { components, operations, paths } from './generated/openapi.js';
