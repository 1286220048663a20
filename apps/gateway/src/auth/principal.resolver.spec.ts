import { jest } from '@jest/globals';
import {
  BUILT_IN_TENANT_ROLES,
  ErrorCode,
  IdentityAccessGet,
  IdentityApiTokenVerify,
  IdentityRoleResolve,
  TenantsMembershipListForUser,
} from '@lockwell/contracts';
import { hashToken } from '@lockwell/crypto';
import { LockwellError, type RpcClient } from '@lockwell/service-kit';
import { PrincipalResolver } from './principal.resolver.js';

// Who the caller is, from identity's and tenants' answers: a user's standing, an API token's grant cut down
// to what its creator holds now, and 503 (never a guess) when identity or tenants cannot be asked.
const USER = '11111111-1111-4111-8111-111111111111';
const T1 = '22222222-2222-4222-8222-222222222222';
const T2 = '33333333-3333-4333-8333-333333333333';
const CUSTOM = '44444444-4444-4444-8444-444444444444';
const TOKEN_ID = '55555555-5555-4555-8555-555555555555';
const ISSUED = Math.floor(Date.parse('2026-12-01T10:00:00Z') / 1000);

type Handlers = Record<string, (payload: never) => unknown>;
function system(over: Handlers = {}) {
  const calls: string[] = [];
  const payloads: unknown[] = [];
  const handlers: Handlers = {
    [IdentityAccessGet.subject]: () => ({
      user_id: USER,
      status: 'active',
      global_roles: ['member'],
      global_permissions: ['users:read'],
      tokens_valid_after: null,
    }),
    [TenantsMembershipListForUser.subject]: () => ({
      memberships: [
        { tenant_id: T1, role: 'viewer' },
        { tenant_id: T2, role: CUSTOM },
      ],
    }),
    [IdentityRoleResolve.subject]: () => ({
      roles: [{ id: CUSTOM, name: 'ops', permissions: ['secrets:write@staging', 'users:manage'] }],
    }),
    [IdentityApiTokenVerify.subject]: () => ({ grant: null }),
    ...over,
  };
  const rpc = {
    request: async (contract: { subject: string }, payload: never) => {
      calls.push(contract.subject);
      payloads.push({ [contract.subject]: payload });
      return handlers[contract.subject]!(payload);
    },
  } as unknown as RpcClient;
  return { resolver: new PrincipalResolver(rpc), calls, payloads };
}
const unavailable = () => {
  throw new LockwellError(ErrorCode.SERVICE_UNAVAILABLE, 'no responders');
};
const jwt = { userId: USER, sessionId: '66666666-6666-4666-8666-666666666666', issuedAt: ISSUED };

describe('PrincipalResolver: access tokens', () => {
  it("builds the principal from identity's access record and tenants' memberships; custom roles give only tenant permissions", async () => {
    const { resolver } = system();
    const p = await resolver.forAccessToken(jwt, 'req');
    expect(p).toEqual({
      kind: 'user',
      userId: USER,
      tokenId: null,
      sessionId: jwt.sessionId,
      globalRoles: ['member'],
      globalPermissions: ['users:read'],
      memberships: [
        { tenantId: T1, role: 'viewer', permissions: [...BUILT_IN_TENANT_ROLES.viewer] },
        { tenantId: T2, role: CUSTOM, permissions: ['secrets:write@staging'] },
      ],
    });
  });

  it('asks identity and tenants about this user, and identity about the custom role ids only', async () => {
    const { resolver, payloads } = system({
      [TenantsMembershipListForUser.subject]: () => ({
        memberships: [
          { tenant_id: T1, role: 'viewer' },
          { tenant_id: T2, role: CUSTOM },
          { tenant_id: T2, role: 'legacy-name' },
        ],
      }),
    });
    const p = await resolver.forAccessToken(jwt, 'req');
    expect(payloads).toEqual(
      expect.arrayContaining([
        { [IdentityAccessGet.subject]: { user_id: USER } },
        { [TenantsMembershipListForUser.subject]: { user_id: USER } },
        { [IdentityRoleResolve.subject]: { role_ids: [CUSTOM] } },
      ]),
    );
    // A role that is neither built in nor a role id grants nothing, and is not sent to identity.
    expect(p.memberships[2]).toEqual({ tenantId: T2, role: 'legacy-name', permissions: [] });
  });

  it('gives a custom role identity no longer knows no permissions, and asks identity only for custom roles', async () => {
    const { resolver, calls } = system({ [IdentityRoleResolve.subject]: () => ({ roles: [] }) });
    expect((await resolver.forAccessToken(jwt, 'req')).memberships[1]!.permissions).toEqual([]);
    const builtInOnly = system({
      [TenantsMembershipListForUser.subject]: () => ({ memberships: [{ tenant_id: T1, role: 'owner' }] }),
    });
    await builtInOnly.resolver.forAccessToken(jwt, 'req');
    expect(builtInOnly.calls).not.toContain(IdentityRoleResolve.subject);
    expect(calls).toContain(IdentityRoleResolve.subject);
  });

  it("refuses a token issued before the user's tokens_valid_after, and a disabled or deleted user", async () => {
    const after = (iso: string) =>
      system({
        [IdentityAccessGet.subject]: () => ({
          user_id: USER,
          status: 'active',
          global_roles: [],
          global_permissions: [],
          tokens_valid_after: iso,
        }),
      }).resolver;
    await expect(after('2026-12-01T10:00:01Z').forAccessToken(jwt, 'r')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(after('2026-12-01T10:00:00Z').forAccessToken(jwt, 'r')).resolves.toMatchObject({ userId: USER });
    const disabled = system({
      [IdentityAccessGet.subject]: () => ({
        user_id: USER,
        status: 'disabled',
        global_roles: [],
        global_permissions: [],
        tokens_valid_after: null,
      }),
    });
    await expect(disabled.resolver.forAccessToken(jwt, 'r')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const deleted = system({
      [IdentityAccessGet.subject]: () => {
        throw new LockwellError(ErrorCode.USER_NOT_FOUND, 'gone');
      },
    });
    await expect(deleted.resolver.forAccessToken(jwt, 'r')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('fails closed with 503 when identity or tenants cannot be asked, and does not cache the failure', async () => {
    let down = true;
    const tenantsDown = system({
      [TenantsMembershipListForUser.subject]: () => (down ? unavailable() : { memberships: [] }),
    });
    await expect(tenantsDown.resolver.forAccessToken(jwt, 'r')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    down = false;
    await expect(tenantsDown.resolver.forAccessToken(jwt, 'r')).resolves.toMatchObject({ memberships: [] });
    const identityDown = system({ [IdentityAccessGet.subject]: unavailable });
    await expect(identityDown.resolver.forAccessToken(jwt, 'r')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('caches a standing until an event drops it', async () => {
    const { resolver, calls } = system();
    await resolver.forAccessToken(jwt, 'r');
    await resolver.forAccessToken(jwt, 'r');
    expect(calls.filter((c) => c === IdentityAccessGet.subject)).toHaveLength(1);
    resolver.standings.delete(USER);
    await resolver.forAccessToken(jwt, 'r');
    expect(calls.filter((c) => c === IdentityAccessGet.subject)).toHaveLength(2);
  });
});

describe('PrincipalResolver: API tokens', () => {
  const RAW = 'lw_raw-token-value';
  const grant = (over: Record<string, unknown> = {}) => ({
    [IdentityApiTokenVerify.subject]: (payload: { token_hash: string }) => {
      expect(payload.token_hash).toBe(hashToken(RAW));
      return {
        grant: {
          token_id: TOKEN_ID,
          user_id: USER,
          tenant_id: null,
          permissions: ['secrets:read', 'secrets:write', 'users:read', 'users:manage'],
          expires_at: new Date(Date.now() + 60_000).toISOString(),
          ...over,
        },
      };
    },
  });

  it('intersects the grant with what the creator holds now, per tenant and globally', async () => {
    const { resolver } = system(grant());
    expect(await resolver.forApiToken(RAW, 'r')).toEqual({
      kind: 'api_token',
      userId: USER,
      tokenId: TOKEN_ID,
      sessionId: null,
      globalRoles: [],
      globalPermissions: ['users:read'],
      memberships: [
        { tenantId: T1, role: 'viewer', permissions: ['secrets:read'] },
        { tenantId: T2, role: CUSTOM, permissions: ['secrets:write@staging'] },
      ],
    });
  });

  it('keeps only the bound tenant, and drops tenants where nothing is left', async () => {
    expect(
      (await system(grant({ tenant_id: T2 })).resolver.forApiToken(RAW, 'r')).memberships.map((m) => m.tenantId),
    ).toEqual([T2]);
    expect(
      (await system(grant({ permissions: ['secrets:write'] })).resolver.forApiToken(RAW, 'r')).memberships.map(
        (m) => m.tenantId,
      ),
    ).toEqual([T2]);
  });

  it('refuses an unknown, expired or disabled-creator token', async () => {
    await expect(system().resolver.forApiToken(RAW, 'r')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(
      system(grant({ expires_at: new Date(Date.now() - 1).toISOString() })).resolver.forApiToken(RAW, 'r'),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const disabled = system({
      ...grant(),
      [IdentityAccessGet.subject]: () => ({
        user_id: USER,
        status: 'disabled',
        global_roles: [],
        global_permissions: [],
        tokens_valid_after: null,
      }),
    });
    await expect(disabled.resolver.forApiToken(RAW, 'r')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a token at the instant it expires', async () => {
    jest.useFakeTimers({
      now: new Date('2026-12-01T10:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    try {
      await expect(
        system(grant({ expires_at: '2026-12-01T10:00:00.000Z' })).resolver.forApiToken(RAW, 'r'),
      ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      await expect(
        system(grant({ expires_at: '2026-12-01T10:00:00.001Z' })).resolver.forApiToken(RAW, 'r'),
      ).resolves.toMatchObject({ kind: 'api_token' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails closed with 503 when identity cannot verify the token', async () => {
    await expect(
      system({ [IdentityApiTokenVerify.subject]: unavailable }).resolver.forApiToken(RAW, 'r'),
    ).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
