import { ErrorCode, permits, type CallContext, type SecretScope, type TenantPermission } from '@lockwell/contracts';
import { assertTenantPermission, LockwellError, requirePrincipal, tenantPermissions } from '@lockwell/service-kit';
import type { Scope } from '../keys/scope.js';
import type { SecretRow } from '../record/secret.row.js';

export type SecretAction = 'read' | 'write' | 'delete';
const PERMISSION: Record<SecretAction, TenantPermission> = {
  read: 'secrets:read',
  write: 'secrets:write',
  delete: 'secrets:delete',
};

/**
 * The caller's personal scope. API tokens are refused: a token is granted tenant permissions (and possibly
 * bound to one tenant), and nothing in its grant speaks for its creator's personal secrets (docs/vault.md).
 */
export function personalScope(ctx: CallContext): Scope {
  const principal = requirePrincipal(ctx);
  if (principal.kind !== 'user') throw new LockwellError(ErrorCode.FORBIDDEN, 'API tokens cannot use personal secrets');
  return { type: 'user', id: principal.userId };
}

/**
 * Where a caller's lookup of a secret by id may look: their own personal space, or the tenants they belong to.
 * Repositories take it first, so a secret outside it is never loaded (it reads as SECRET_NOT_FOUND, as for an
 * id that does not exist); authorizeSecret then decides what the caller may do with what was found.
 */
export type SecretReach = { type: 'user'; ownerId: string } | { type: 'tenant'; tenantIds: string[] };

export function reachOf(ctx: CallContext, scopeType: SecretScope): SecretReach {
  const principal = requirePrincipal(ctx);
  // An API token reaches its creator's space here and is refused (FORBIDDEN, audited) by authorizeSecret.
  return scopeType === 'user'
    ? { type: 'user', ownerId: principal.userId }
    : { type: 'tenant', tenantIds: principal.memberships.map((m) => m.tenantId) };
}

/** A tenant scope the caller may write to in `environment`; a non-member learns only TENANT_NOT_FOUND. */
export function tenantScopeFor(ctx: CallContext, tenantId: string, action: SecretAction, environment: string): Scope {
  assertTenantPermission(ctx, tenantId, PERMISSION[action], { notFound: ErrorCode.TENANT_NOT_FOUND, environment });
  return { type: 'tenant', id: tenantId };
}

/**
 * Whether the caller may act on an existing secret: personal secrets only for their owner, tenant secrets by
 * the permission (possibly limited to the secret's environment). Others get SECRET_NOT_FOUND (no existence leak).
 */
export function authorizeSecret(ctx: CallContext, row: SecretRow, action: SecretAction | 'metadata'): void {
  if (row.scope_type === 'user') {
    if (personalScope(ctx).id !== row.owner_id) throw new LockwellError(ErrorCode.SECRET_NOT_FOUND, 'Secret not found');
    return;
  }
  if (action !== 'metadata') {
    assertTenantPermission(ctx, row.tenant_id!, PERMISSION[action], {
      notFound: ErrorCode.SECRET_NOT_FOUND,
      environment: row.environment,
    });
    return;
  }
  const granted = tenantPermissions(requirePrincipal(ctx), row.tenant_id!);
  if (!granted) throw new LockwellError(ErrorCode.SECRET_NOT_FOUND, 'Secret not found');
  if (!permits(granted, 'secrets:list', row.environment) && !permits(granted, 'secrets:read', row.environment)) {
    throw new LockwellError(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
  }
}

/**
 * Moving a tenant secret to another environment needs read and write in both: otherwise a grant limited to
 * one environment could pull a secret (and its old versions) out of an environment it cannot read, or push
 * one into an environment it cannot write. FORBIDDEN otherwise.
 */
export function authorizeEnvironmentMove(ctx: CallContext, row: SecretRow, environment: string): void {
  if (row.scope_type !== 'tenant' || environment === row.environment) return;
  for (const r of [row, { ...row, environment }]) {
    authorizeSecret(ctx, r, 'read');
    authorizeSecret(ctx, r, 'write');
  }
}

/** Whether the caller may see the value (write responses include it only then). */
export function mayRead(ctx: CallContext, row: SecretRow): boolean {
  try {
    authorizeSecret(ctx, row, 'read');
    return true;
  } catch {
    return false;
  }
}

/**
 * The environments whose metadata the caller may list in a tenant (null: all). `secrets:list` or
 * `secrets:read` grant it; environment-limited grants narrow it. Non-members: TENANT_NOT_FOUND.
 */
export function listableEnvironments(ctx: CallContext, tenantId: string): string[] | null {
  const granted = tenantPermissions(requirePrincipal(ctx), tenantId);
  if (!granted) throw new LockwellError(ErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
  if (granted.includes('secrets:list') || granted.includes('secrets:read')) return null;
  const envs = granted
    .filter((g) => g.startsWith('secrets:list@') || g.startsWith('secrets:read@'))
    .map((g) => g.split('@')[1]);
  if (!envs.length) throw new LockwellError(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
  return [...new Set(envs)];
}
