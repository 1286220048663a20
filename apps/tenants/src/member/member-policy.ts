import { ErrorCode, permits, type Permission } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';

/** The acting member: their role and effective permissions in the tenant. */
export interface Manager {
  role: string | null;
  permissions: readonly string[];
}

/**
 * Whether `manager` may hand out (or take away) `role`, which grants `rolePermissions`. Only an owner grants
 * or revokes the owner role; anyone else may only deal in roles whose permissions they hold themselves, so
 * members:manage can never be turned into more power than the manager has (no escalation by custom role).
 */
export function assertMayAssign(manager: Manager, role: string, rolePermissions: readonly string[]): void {
  if (role === 'owner') {
    if (manager.role !== 'owner') throw new LockwellError(ErrorCode.FORBIDDEN, 'Only an owner can grant or revoke the owner role');
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
