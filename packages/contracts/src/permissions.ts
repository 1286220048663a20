import { z } from 'zod';

/**
 * The permission catalogue. Tenant permissions apply inside one tenant (through a membership role);
 * global permissions apply to the installation (through a user's global roles).
 * A secrets permission may be limited to one environment with an `@env` suffix, e.g. `secrets:read@staging`.
 */
export const TENANT_PERMISSIONS = [
  'tenant:read',
  'tenant:update',
  'tenant:delete',
  'members:read',
  'members:manage',
  'secrets:list',
  'secrets:read',
  'secrets:write',
  'secrets:delete',
  'webhooks:manage',
  'audit:read',
  'connections:use',
] as const;
export const GLOBAL_PERMISSIONS = [
  'users:read',
  'users:manage',
  'roles:manage',
  'tenants:read-all',
  'services:manage',
  'audit:read-all',
  'keys:rotate',
] as const;
export type TenantPermission = (typeof TENANT_PERMISSIONS)[number];
export type GlobalPermission = (typeof GLOBAL_PERMISSIONS)[number];
export type Permission = TenantPermission | GlobalPermission;

const ENV_LIMITABLE = new Set(['secrets:list', 'secrets:read', 'secrets:write', 'secrets:delete']);
const ENV_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** True for a catalogue name, or an environment-limited secrets permission such as `secrets:read@production`. */
export function isKnownPermission(p: string): boolean {
  const [base, env, ...rest] = p.split('@');
  if (rest.length) return false;
  if (env !== undefined) return ENV_LIMITABLE.has(base) && ENV_NAME.test(env);
  return (
    (TENANT_PERMISSIONS as readonly string[]).includes(base) || (GLOBAL_PERMISSIONS as readonly string[]).includes(base)
  );
}

export const PermissionName = z.string().max(100).refine(isKnownPermission, { message: 'unknown permission' });

/** Built-in tenant roles of docs/api.md "Roles". */
export const BUILT_IN_TENANT_ROLES: Record<'owner' | 'admin' | 'member' | 'viewer', readonly TenantPermission[]> = {
  owner: TENANT_PERMISSIONS,
  admin: TENANT_PERMISSIONS.filter((p) => p !== 'tenant:delete'),
  member: [
    'tenant:read',
    'members:read',
    'secrets:list',
    'secrets:read',
    'secrets:write',
    'secrets:delete',
    'connections:use',
  ],
  viewer: ['tenant:read', 'members:read', 'secrets:list', 'secrets:read'],
};
export type BuiltInTenantRole = keyof typeof BUILT_IN_TENANT_ROLES;
// Own keys only: `toString` or `constructor` are not roles (`in` would find them on the prototype).
export const isBuiltInTenantRole = (r: string): r is BuiltInTenantRole => Object.hasOwn(BUILT_IN_TENANT_ROLES, r);

/** Built-in global roles: `admin` administers the installation; `member` and `viewer` have no global powers. */
export const BUILT_IN_GLOBAL_ROLES: Record<'admin' | 'member' | 'viewer', readonly GlobalPermission[]> = {
  admin: GLOBAL_PERMISSIONS,
  member: [],
  viewer: [],
};

/**
 * Whether `granted` allows `wanted` (optionally in `environment`): an unsuffixed grant covers every
 * environment, `secrets:read@staging` covers only staging.
 */
export function permits(granted: readonly string[], wanted: Permission, environment?: string): boolean {
  if (granted.includes(wanted)) return true;
  return environment !== undefined && granted.includes(`${wanted}@${environment}`);
}

/** Whether `granted` allows `wanted` in at least one environment (for list filters). */
export function permitsSomewhere(granted: readonly string[], wanted: Permission): boolean {
  return granted.some((g) => g === wanted || g.startsWith(`${wanted}@`));
}
