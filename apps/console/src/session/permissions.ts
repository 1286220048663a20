import type { Profile } from '../api/types';

/** Global permissions of the installation admin screens. */
export const ADMIN_PERMISSIONS = ['users:read', 'users:manage', 'roles:manage', 'services:manage', 'keys:rotate'];

export function isInstallationAdmin(profile: Profile): boolean {
  return profile.global_permissions.some((p) => ADMIN_PERMISSIONS.includes(p));
}

export function hasGlobal(profile: Profile, permission: string): boolean {
  return profile.global_permissions.includes(permission);
}

/** The caller's permissions in a tenant (empty for a non-member). */
export function tenantPermissions(profile: Profile, tenantId: string): string[] {
  return profile.memberships.find((m) => m.tenant_id === tenantId)?.permissions ?? [];
}

/** Whether `granted` allows `wanted` in some environment (`secrets:write` or `secrets:write@staging`). */
export function allowsSomewhere(granted: string[], wanted: string): boolean {
  return granted.some((g) => g === wanted || g.startsWith(`${wanted}@`));
}

/**
 * What an API token may be given: the global permissions the user holds, plus the tenant permissions of the
 * bound tenant's membership, or (unbound) of any membership. identity refuses anything beyond that.
 */
export function grantablePermissions(profile: Profile, tenantId: string | null): string[] {
  const tenant = tenantId ? tenantPermissions(profile, tenantId) : profile.memberships.flatMap((m) => m.permissions);
  return [...new Set([...profile.global_permissions, ...tenant])].sort();
}

/** Tenant owners and admins (`audit:read`) and installation auditors (`audit:read-all`) read a tenant's audit log. */
export function canReadAudit(profile: Profile, tenantId: string): boolean {
  return tenantPermissions(profile, tenantId).includes('audit:read') || hasGlobal(profile, 'audit:read-all');
}
