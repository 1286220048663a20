import { coversPermission as covers, GLOBAL_PERMISSIONS, splitPermission, type Principal } from '@lockwell/contracts';

const GLOBAL = new Set<string>(GLOBAL_PERMISSIONS);

/**
 * The permissions of `requested` the creator does not hold, so a token never exceeds its creator: global
 * ones against their global permissions; tenant ones against the bound tenant's membership, or (unbound)
 * against at least one membership.
 */
export function permissionsBeyondCreator(creator: Principal, requested: string[], tenantId: string | null): string[] {
  // Stryker disable ArrayDeclaration: equivalent, no permission is named like a mutant's placeholder string
  const tenantGrants = tenantId
    ? [creator.memberships.find((m) => m.tenantId === tenantId)?.permissions ?? []]
    : creator.memberships.map((m) => m.permissions);
  // Stryker restore ArrayDeclaration
  return requested.filter((p) => {
    const { base } = splitPermission(p);
    if (GLOBAL.has(base)) return !creator.globalPermissions.includes(base);
    return !tenantGrants.some((granted) => covers(granted, p));
  });
}
