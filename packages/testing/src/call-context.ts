import { randomUUID } from 'node:crypto';
import type { CallContext, Principal, PrincipalMembership } from '@lockwell/contracts';

/** What a test says about a caller's rights; everything not given is empty (no global rights, no tenants). */
export interface TestRights {
  globalPermissions?: string[];
  globalRoles?: string[];
  /** Tenant memberships as the gateway resolves them into the principal (see `membership`). */
  memberships?: PrincipalMembership[];
  /** The session a user's access token belongs to (null: none). */
  sessionId?: string | null;
}

const context = (principal: Principal | null): CallContext => ({
  requestId: `test-${randomUUID()}`,
  principal,
  ip: '127.0.0.1',
  userAgent: 'lockwell-test',
});

/** The call context the gateway sends for a signed-in user with these rights. The one way tests build one. */
export function asUser(userId: string, rights: TestRights = {}): CallContext {
  return context({
    kind: 'user',
    userId,
    tokenId: null,
    sessionId: rights.sessionId ?? null,
    globalRoles: rights.globalRoles ?? [],
    globalPermissions: rights.globalPermissions ?? [],
    memberships: rights.memberships ?? [],
  });
}

/** The call context of an API token of `userId`, whose rights the gateway already narrowed to its grant. */
export function asApiToken(userId: string, tokenId: string, rights: Omit<TestRights, 'sessionId'> = {}): CallContext {
  return context({
    kind: 'api_token',
    userId,
    tokenId,
    sessionId: null,
    globalRoles: rights.globalRoles ?? [],
    globalPermissions: rights.globalPermissions ?? [],
    memberships: rights.memberships ?? [],
  });
}

/** A call without a principal: a client before login (login, refresh), or the system itself. */
export const anonymous = (): CallContext => context(null);

/** A tenant membership of the principal: the role's name and the permissions the gateway resolved for it. */
export const membership = (tenantId: string, permissions: readonly string[], role = 'custom'): PrincipalMembership => ({
  tenantId,
  role,
  permissions: [...permissions],
});
