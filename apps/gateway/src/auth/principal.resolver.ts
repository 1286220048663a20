import { Injectable } from '@nestjs/common';
import {
  BUILT_IN_TENANT_ROLES,
  ErrorCode,
  IdentityAccessGet,
  IdentityApiTokenVerify,
  IdentityRoleResolve,
  intersectPermissions,
  isBuiltInTenantRole,
  splitPermission,
  systemContext,
  TENANT_PERMISSIONS,
  TenantsMembershipListForUser,
  type ApiTokenGrant,
  type Principal,
  type PrincipalMembership,
  type UserAccess,
  Uuid,
} from '@lockwell/contracts';
import { hashToken } from '@lockwell/crypto';
import { LockwellError, RpcClient } from '@lockwell/service-kit';
import { API_TOKEN_CACHE_TTL_MS, PRINCIPAL_CACHE_TTL_MS } from './auth.constants.js';
import { ExpiringCache } from './expiring-cache.js';
import { unauthenticated, type VerifiedAccessToken } from './access-token.verifier.js';

/** A user's standing as cached: identity's access record and their tenant memberships with permissions. */
export interface UserStanding {
  access: UserAccess;
  memberships: PrincipalMembership[];
  /** Custom role ids the memberships used (a RoleChanged for one of them drops this entry). */
  customRoleIds: string[];
}

const TENANT = new Set<string>(TENANT_PERMISSIONS);
const isTenantPermission = (p: string) => TENANT.has(splitPermission(p).base);

/**
 * Builds the Principal for a request from a verified JWT or an API token. Per-user standing and API-token
 * grants are cached and dropped by events (see AuthEventsSubscriber); identity and tenants are asked
 * only on a miss. If either does not answer, the request fails closed (503), never open.
 */
@Injectable()
export class PrincipalResolver {
  readonly standings = new ExpiringCache<UserStanding>(PRINCIPAL_CACHE_TTL_MS);
  readonly grants = new ExpiringCache<ApiTokenGrant | null>(API_TOKEN_CACHE_TTL_MS);

  constructor(private readonly rpc: RpcClient) {}

  async forAccessToken(token: VerifiedAccessToken, requestId: string): Promise<Principal> {
    const standing = await this.standing(token.userId, requestId);
    const tva = standing.access.tokens_valid_after;
    if (tva && token.issuedAt * 1000 < new Date(tva).getTime()) throw unauthenticated();
    return {
      kind: 'user',
      userId: token.userId,
      tokenId: null,
      sessionId: token.sessionId,
      globalRoles: standing.access.global_roles,
      globalPermissions: standing.access.global_permissions,
      memberships: standing.memberships,
    };
  }

  /** `lw_...`: the token's grant intersected with what its creator holds right now. */
  async forApiToken(raw: string, requestId: string): Promise<Principal> {
    const hash = hashToken(raw);
    const grant = await this.grants.get(
      hash,
      async () =>
        (await this.rpc.request(IdentityApiTokenVerify, { token_hash: hash }, systemContext(requestId))).grant,
    );
    if (!grant || new Date(grant.expires_at).getTime() <= Date.now())
      throw unauthenticated('The API token is invalid, expired or revoked');
    const standing = await this.standing(grant.user_id, requestId);
    // Stryker disable next-line MethodExpression: equivalent, memberships hold tenant permissions only, so a global name never survives the intersection
    const tenantGrant = grant.permissions.filter(isTenantPermission);
    const memberships = standing.memberships
      .filter((m) => grant.tenant_id === null || m.tenantId === grant.tenant_id)
      .map((m) => ({ ...m, permissions: intersectPermissions(tenantGrant, m.permissions) }))
      .filter((m) => m.permissions.length > 0);
    return {
      kind: 'api_token',
      userId: grant.user_id,
      tokenId: grant.token_id,
      sessionId: null,
      globalRoles: [],
      // Stryker disable MethodExpression: equivalent, identity's global_permissions hold global names only (a block, not next-line: Prettier may wrap the call)
      globalPermissions: intersectPermissions(
        grant.permissions.filter((p) => !isTenantPermission(p)),
        standing.access.global_permissions,
      ),
      // Stryker restore MethodExpression
      memberships,
    };
  }

  private async standing(userId: string, requestId: string): Promise<UserStanding> {
    const standing = await this.standings.get(userId, () => this.loadStanding(userId, requestId));
    if (standing.access.status !== 'active') throw unauthenticated();
    return standing;
  }

  private async loadStanding(userId: string, requestId: string): Promise<UserStanding> {
    const ctx = systemContext(requestId);
    const [access, list] = await Promise.all([
      this.rpc.request(IdentityAccessGet, { user_id: userId }, ctx).catch((err: unknown) => {
        // A user deleted since the token was issued is simply not authenticated any more.
        if (err instanceof LockwellError && err.code === ErrorCode.USER_NOT_FOUND) throw unauthenticated();
        throw err;
      }),
      this.rpc.request(TenantsMembershipListForUser, { user_id: userId }, ctx),
    ]);
    const customRoleIds = [
      ...new Set(
        list.memberships.map((m) => m.role).filter((r) => !isBuiltInTenantRole(r) && Uuid.safeParse(r).success),
      ),
    ];
    const custom = customRoleIds.length
      ? (await this.rpc.request(IdentityRoleResolve, { role_ids: customRoleIds }, ctx)).roles
      : [];
    const customById = new Map(custom.map((r) => [r.id, r.permissions.filter(isTenantPermission)]));
    const memberships = list.memberships.map((m) => ({
      tenantId: m.tenant_id,
      role: m.role,
      permissions: isBuiltInTenantRole(m.role) ? [...BUILT_IN_TENANT_ROLES[m.role]] : (customById.get(m.role) ?? []),
    }));
    return { access, memberships, customRoleIds };
  }
}
