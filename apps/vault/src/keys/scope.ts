import type { SecretScope } from '@lockwell/contracts';

/** A key space: a tenant, or one user's personal secrets. Every data key and secret belongs to exactly one. */
export interface Scope {
  type: SecretScope;
  id: string;
}

/**
 * Any space with its own data key: a secrets scope, or one connector service's credentials (docs/connectors.md
 * "Storage"; deleting the service destroys that key).
 */
export interface KeyScope {
  type: SecretScope | 'service';
  id: string;
}

export const scopeKey = (scope: KeyScope): string => `${scope.type}:${scope.id}`;
