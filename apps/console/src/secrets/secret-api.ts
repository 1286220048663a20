// The secret routes of one scope. /user-secrets and /tenant-secrets share one shape (docs/api.md "Secrets"); the
// generated client types each path on its own, hence one explicit branch per call.
import { unwrap, type ApiClient } from '@lockwell/sdk';
import type { CreateSecretBody, SecretListQuery, UpdateSecretBody } from '../api/types';

export type SecretScope = 'user' | 'tenant';
export type ListFilters = Omit<SecretListQuery, 'tenant_id'>;

export function secretApi(api: ApiClient, scope: SecretScope, tenantId?: string) {
  const byId = (id: string) => ({ params: { path: { secret_id: id } } });
  const ifMatch = (version?: number) => (version ? { 'if-match': `"${version}"` } : undefined);
  return {
    list: (query: ListFilters) =>
      scope === 'user'
        ? unwrap(api.GET('/api/v1/user-secrets', { params: { query } }))
        : unwrap(api.GET('/api/v1/tenant-secrets', { params: { query: { ...query, tenant_id: tenantId! } } })),
    create: (body: CreateSecretBody) =>
      scope === 'user'
        ? unwrap(api.POST('/api/v1/user-secrets', { body }))
        : unwrap(api.POST('/api/v1/tenant-secrets', { body: { ...body, tenant_id: tenantId! } })),
    metadata: (id: string) =>
      scope === 'user'
        ? unwrap(api.GET('/api/v1/user-secrets/{secret_id}/metadata', byId(id)))
        : unwrap(api.GET('/api/v1/tenant-secrets/{secret_id}/metadata', byId(id))),
    /** A read: recorded as an access (where-used, audit) and it reactivates an inactive secret. */
    reveal: (id: string, version?: number) => {
      const opts = { params: { path: { secret_id: id }, query: version ? { version } : {} } };
      return scope === 'user'
        ? unwrap(api.GET('/api/v1/user-secrets/{secret_id}', opts))
        : unwrap(api.GET('/api/v1/tenant-secrets/{secret_id}', opts));
    },
    update: (id: string, body: UpdateSecretBody, version?: number) => {
      const opts = { ...byId(id), body, headers: ifMatch(version) };
      return scope === 'user'
        ? unwrap(api.PUT('/api/v1/user-secrets/{secret_id}', opts))
        : unwrap(api.PUT('/api/v1/tenant-secrets/{secret_id}', opts));
    },
    versions: (id: string) => {
      const opts = { params: { path: { secret_id: id }, query: { limit: 200 } } };
      return scope === 'user'
        ? unwrap(api.GET('/api/v1/user-secrets/{secret_id}/versions', opts))
        : unwrap(api.GET('/api/v1/tenant-secrets/{secret_id}/versions', opts));
    },
    rollback: (id: string, to: number, version?: number) => {
      const opts = { ...byId(id), body: { version: to }, headers: ifMatch(version) };
      return scope === 'user'
        ? unwrap(api.POST('/api/v1/user-secrets/{secret_id}/rollback', opts))
        : unwrap(api.POST('/api/v1/tenant-secrets/{secret_id}/rollback', opts));
    },
    usage: (id: string) => {
      const opts = { params: { path: { secret_id: id }, query: { limit: 200 } } };
      return scope === 'user'
        ? unwrap(api.GET('/api/v1/user-secrets/{secret_id}/usage', opts))
        : unwrap(api.GET('/api/v1/tenant-secrets/{secret_id}/usage', opts));
    },
    remove: (id: string, mode: 'now' | 'schedule', version?: number) => {
      const opts = { params: { path: { secret_id: id }, query: { mode } }, headers: ifMatch(version) };
      return scope === 'user'
        ? unwrap(api.DELETE('/api/v1/user-secrets/{secret_id}', opts))
        : unwrap(api.DELETE('/api/v1/tenant-secrets/{secret_id}', opts));
    },
    cancelDeletion: (id: string) =>
      scope === 'user'
        ? unwrap(api.POST('/api/v1/user-secrets/{secret_id}/cancel-deletion', byId(id)))
        : unwrap(api.POST('/api/v1/tenant-secrets/{secret_id}/cancel-deletion', byId(id))),
  };
}

/** Where a secret's pages live in the console. */
export function secretsPath(scope: SecretScope, tenantId?: string): string {
  return scope === 'user' ? '/secrets' : `/tenants/${tenantId}`;
}
export function secretPath(scope: SecretScope, secretId: string, tenantId?: string): string {
  return scope === 'user' ? `/secrets/${secretId}` : `/tenants/${tenantId}/secrets/${secretId}`;
}
