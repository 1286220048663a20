import {
  ErrorCode,
  permits,
  type CallContext,
  type GlobalPermission,
  type Permission,
  type Principal,
} from '@lockwell/contracts';
import { LockwellError } from '../errors/lockwell-error.js';

/**
 * Resource authorisation that every service applies itself (defence in depth: the gateway resolves who
 * the caller is, the owning service decides what they may do). A caller outside a tenant learns nothing:
 * they get the resource's NOT_FOUND code, the same as for an id that does not exist.
 */
export function requirePrincipal(ctx: CallContext): Principal {
  if (!ctx.principal) throw new LockwellError(ErrorCode.UNAUTHENTICATED, 'Authentication required');
  return ctx.principal;
}

export function hasGlobalPermission(principal: Principal, permission: GlobalPermission): boolean {
  return principal.globalPermissions.includes(permission);
}

/** Throws FORBIDDEN unless the caller holds `permission` installation-wide. */
export function assertGlobalPermission(ctx: CallContext, permission: GlobalPermission): Principal {
  const principal = requirePrincipal(ctx);
  if (!hasGlobalPermission(principal, permission))
    throw new LockwellError(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
  return principal;
}

/** The caller's permissions in `tenantId`, or null when they are not a member. */
export function tenantPermissions(principal: Principal, tenantId: string): string[] | null {
  return principal.memberships.find((m) => m.tenantId === tenantId)?.permissions ?? null;
}

export interface TenantAccessOptions {
  /** The resource's not-found code, returned to non-members so existence does not leak. */
  notFound: ErrorCode;
  /** For environment-limited grants such as `secrets:read@staging`. */
  environment?: string;
}

/**
 * Throws `notFound` when the caller is not a member of `tenantId`, FORBIDDEN when they are but lack
 * `permission`. Returns the caller's permissions in the tenant.
 */
export function assertTenantPermission(
  ctx: CallContext,
  tenantId: string,
  permission: Permission,
  opts: TenantAccessOptions,
): string[] {
  const principal = requirePrincipal(ctx);
  const granted = tenantPermissions(principal, tenantId);
  if (!granted) {
    const hidden = new LockwellError(opts.notFound, 'Not found');
    hidden.denied = true;
    throw hidden;
  }
  if (!permits(granted, permission, opts.environment))
    throw new LockwellError(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
  return granted;
}
