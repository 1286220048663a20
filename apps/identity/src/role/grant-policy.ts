import { ErrorCode, GLOBAL_PERMISSIONS, splitPermission, type Principal } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';

const GLOBAL = new Set<string>(GLOBAL_PERMISSIONS);

/** Whether `p` is an installation-wide permission (the rest are tenant permissions). */
export const isGlobalPermission = (p: string): boolean => GLOBAL.has(splitPermission(p).base);

/**
 * The no-escalation rule for installation-wide power: a caller (user or API token, whose global permissions
 * the gateway already narrowed to its grant) may grant, take away or touch only global permissions it holds
 * itself. users:manage cannot make anyone an admin; roles:manage cannot widen a role beyond its own powers.
 */
export function assertHoldsGlobal(caller: Principal, permissions: Iterable<string>, what: string): void {
  const missing = [...new Set(permissions)]
    .filter((p) => isGlobalPermission(p) && !caller.globalPermissions.includes(p))
    .sort();
  if (missing.length) {
    throw new LockwellError(
      ErrorCode.FORBIDDEN,
      `You cannot ${what}: it involves permissions you do not hold`,
      missing.map((p) => ({ field: 'permissions', issue: `not held by you: ${p}` })),
    );
  }
}

/** `after` minus `before` and `before` minus `after`: what a change grants and what it takes away. */
export function permissionChanges(
  before: readonly string[],
  after: readonly string[],
): { added: string[]; removed: string[] } {
  return { added: after.filter((p) => !before.includes(p)), removed: before.filter((p) => !after.includes(p)) };
}
