import { BUILT_IN_TENANT_ROLES, ErrorCode, permits, type Permission } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';

/**
 * The acting caller: the role of the member behind it and the permissions the caller itself holds in the
 * tenant (for an API token, its grant intersected with that member's role, never the member's full role).
 */
export interface Manager {
  role: string | null;
  permissions: readonly string[];
}

/**
 * Whether `manager` may hand out (or take away) `role`, which grants `rolePermissions`. The owner role needs
 * owner power held by the caller itself: an owner's own session, or a token granted every owner permission
 * (an owner's narrow token cannot mint or demote owners). Any other role only by a caller holding all its
 * permissions, so members:manage can never be turned into more power than the caller has.
 */
export function assertMayAssign(manager: Manager, role: string, rolePermissions: readonly string[]): void {
  if (role === 'owner') {
    const ownerPower =
      manager.role === 'owner' && BUILT_IN_TENANT_ROLES.owner.every((p) => manager.permissions.includes(p));
    if (!ownerPower)
      throw new LockwellError(
        ErrorCode.FORBIDDEN,
        "Only an owner, with all of an owner's permissions, can grant or revoke the owner role",
      );
    return;
  }
  if (!rolePermissions.every((p) => holds(manager.permissions, p))) {
    throw new LockwellError(ErrorCode.FORBIDDEN, 'You cannot grant or revoke a role with permissions you do not hold');
  }
}

/** `secrets:read@staging` is held by whoever holds it exactly or holds the unlimited `secrets:read`. */
function holds(granted: readonly string[], permission: string): boolean {
  const [base, environment] = permission.split('@');
  return permits(granted, base as Permission, environment);
}

/** A tenant always keeps an owner: the last one can neither leave, be removed nor be demoted. */
export function assertKeepsAnOwner(currentRole: string, nextRole: string | null, ownerCount: number): void {
  if (currentRole === 'owner' && nextRole !== 'owner' && ownerCount <= 1) {
    throw new LockwellError(ErrorCode.LAST_OWNER, 'A tenant must keep at least one owner');
  }
}
