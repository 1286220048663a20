import type { SecretScope } from '@lockwell/contracts';

/** A key space: a tenant, or one user's personal secrets. Every data key and secret belongs to exactly one. */
export interface Scope {
  type: SecretScope;
  id: string;
}

export const scopeKey = (scope: Scope): string => `${scope.type}:${scope.id}`;
