import { ErrorCode, permits, type CallContext, type Principal } from '@lockwell/contracts';
import { assertTenantPermission, LockwellError, requirePrincipal, tenantPermissions } from '@lockwell/service-kit';
import type { ConnectionReach } from './connection.repository.js';

/** Where a connection lives: one user's personal space (`tenantId` null) or a tenant. */
export interface ConnectionPlace {
  user_id: string;
  tenant_id: string | null;
}

const notFound = () => new LockwellError(ErrorCode.CONNECTION_NOT_FOUND, 'No such connection');
const tokensRefused = () =>
  new LockwellError(ErrorCode.FORBIDDEN, 'API tokens cannot act on personal connections; use a tenant connection');

/**
 * Who may start a connection here: anyone signed in for themselves (API tokens carry tenant permissions only,
 * nothing that speaks for their creator's personal space, as in the vault), and members holding
 * `connections:use` for a tenant (outsiders learn nothing: TENANT_NOT_FOUND).
 */
export function assertMayConnect(ctx: CallContext, tenantId: string | null): Principal {
  const principal = requirePrincipal(ctx);
  if (tenantId === null) {
    if (principal.kind === 'api_token') throw tokensRefused();
    return principal;
  }
  assertTenantPermission(ctx, tenantId, 'connections:use', { notFound: ErrorCode.TENANT_NOT_FOUND });
  return principal;
}

/**
 * Who may use (get a token from, disconnect) a connection: a personal one only its owner, in person; a tenant's
 * one any member holding `connections:use` there (tenant connections are the tenant's, whoever connected them).
 * Anyone else gets CONNECTION_NOT_FOUND, as for an id that does not exist.
 */
export function assertMayUse(ctx: CallContext, c: ConnectionPlace): Principal {
  const principal = requirePrincipal(ctx);
  if (c.tenant_id === null) {
    if (principal.userId !== c.user_id) throw notFound();
    if (principal.kind === 'api_token') throw tokensRefused();
    return principal;
  }
  const granted = tenantPermissions(principal, c.tenant_id);
  if (!granted) throw notFound();
  if (!permits(granted, 'connections:use'))
    throw new LockwellError(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
  return principal;
}

/**
 * Where to look for a connection the caller names by id: their personal ones and those of every tenant they
 * belong to (assertMayUse then tells a member without `connections:use` FORBIDDEN, everyone else NOT_FOUND).
 */
export const reachOf = (principal: Principal): ConnectionReach => ({
  userId: principal.userId,
  tenantIds: principal.memberships.map((m) => m.tenantId),
});

/** The tenants whose connections the caller may see and use. */
export const tenantsUsable = (principal: Principal): string[] =>
  principal.memberships.filter((m) => permits(m.permissions, 'connections:use')).map((m) => m.tenantId);
