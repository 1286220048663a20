import { BUILT_IN_GLOBAL_ROLES, GLOBAL_PERMISSIONS, type GlobalPermission } from '@lockwell/contracts';
import type { RoleEntity } from './role.entity.js';

const GLOBAL = new Set<string>(GLOBAL_PERMISSIONS);

/** A role's permissions: built-in roles take theirs from contracts (the catalogue evolves with the code). */
export function permissionsOf(role: Pick<RoleEntity, 'name' | 'builtIn' | 'permissions'>): string[] {
  if (role.builtIn) return [...(BUILT_IN_GLOBAL_ROLES[role.name as keyof typeof BUILT_IN_GLOBAL_ROLES] ?? [])];
  return [...role.permissions];
}

/** The installation-wide permissions a set of roles grants (tenant permissions of custom roles do not count here). */
export function globalPermissionsOf(roles: Pick<RoleEntity, 'name' | 'builtIn' | 'permissions'>[]): GlobalPermission[] {
  const out = new Set<GlobalPermission>();
  for (const role of roles) for (const p of permissionsOf(role)) if (GLOBAL.has(p)) out.add(p as GlobalPermission);
  return [...out].sort();
}
