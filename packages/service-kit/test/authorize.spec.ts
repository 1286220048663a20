import { ErrorCode, type CallContext, type Principal } from '@lockwell/contracts';
import {
  assertGlobalPermission,
  assertTenantPermission,
  hasGlobalPermission,
  LockwellError,
  requirePrincipal,
  tenantPermissions,
} from '../src/index.js';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const principal: Principal = {
  kind: 'user',
  userId: '33333333-3333-4333-8333-333333333333',
  tokenId: null,
  sessionId: null,
  globalRoles: ['member'],
  globalPermissions: [],
  memberships: [{ tenantId: T1, role: 'custom', permissions: ['secrets:read@staging', 'secrets:list'] }],
};
const ctx = (p: Principal | null): CallContext => ({ requestId: 'r', principal: p, ip: null, userAgent: null });
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'allowed';
  } catch (e) {
    return (e as LockwellError).code;
  }
};

describe('tenant authorisation', () => {
  it('hides a tenant the caller does not belong to behind the resource not-found code', () => {
    expect(
      codeOf(() =>
        assertTenantPermission(ctx(principal), T2, 'secrets:read', { notFound: ErrorCode.SECRET_NOT_FOUND }),
      ),
    ).toBe('SECRET_NOT_FOUND');
  });
  it('marks both refusals as denials (each gets its authz.denied audit record), the hidden one explicitly', () => {
    const errorOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as LockwellError;
      }
      throw new Error('expected a refusal');
    };
    const hidden = errorOf(() =>
      assertTenantPermission(ctx(principal), T2, 'secrets:read', { notFound: ErrorCode.SECRET_NOT_FOUND }),
    );
    expect([hidden.denied, hidden.isDenial, hidden.deniedRecorded]).toEqual([true, true, false]);
    const forbidden = errorOf(() =>
      assertTenantPermission(ctx(principal), T1, 'secrets:write', { notFound: ErrorCode.SECRET_NOT_FOUND }),
    );
    expect([forbidden.denied, forbidden.isDenial]).toEqual([false, true]);
    expect(new LockwellError(ErrorCode.SECRET_NOT_FOUND, 'Secret not found').isDenial).toBe(false);
    // A refusal that comes back from another service was audited there.
    expect(LockwellError.fromBody({ code: 'FORBIDDEN', message: 'no' }).deniedRecorded).toBe(true);
  });
  it('forbids a member without the permission', () => {
    expect(
      codeOf(() =>
        assertTenantPermission(ctx(principal), T1, 'secrets:write', { notFound: ErrorCode.SECRET_NOT_FOUND }),
      ),
    ).toBe('FORBIDDEN');
  });
  it('honours environment-limited grants', () => {
    const check = (environment: string) =>
      codeOf(() =>
        assertTenantPermission(ctx(principal), T1, 'secrets:read', {
          notFound: ErrorCode.SECRET_NOT_FOUND,
          environment,
        }),
      );
    expect(check('staging')).toBe('allowed');
    expect(check('production')).toBe('FORBIDDEN');
  });
  it('requires a principal', () => {
    expect(codeOf(() => assertTenantPermission(ctx(null), T1, 'secrets:list', { notFound: ErrorCode.NOT_FOUND }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(codeOf(() => assertGlobalPermission(ctx(principal), 'users:manage'))).toBe('FORBIDDEN');
  });
});

describe('global authorisation and lookups', () => {
  const admin: Principal = { ...principal, globalPermissions: ['users:manage'] };
  it('lets a holder of the global permission through and returns the principal', () => {
    expect(assertGlobalPermission(ctx(admin), 'users:manage')).toBe(admin);
    expect(codeOf(() => assertGlobalPermission(ctx(admin), 'keys:rotate'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertGlobalPermission(ctx(null), 'users:manage'))).toBe('UNAUTHENTICATED');
    expect(hasGlobalPermission(admin, 'users:manage')).toBe(true);
    expect(hasGlobalPermission(principal, 'users:manage')).toBe(false);
  });
  it("returns the principal, and the caller's permissions in a tenant (null outside it)", () => {
    expect(requirePrincipal(ctx(principal))).toBe(principal);
    expect(tenantPermissions(principal, T1)).toEqual(['secrets:read@staging', 'secrets:list']);
    expect(tenantPermissions(principal, T2)).toBeNull();
    expect(
      assertTenantPermission(ctx(principal), T1, 'secrets:list', { notFound: ErrorCode.TENANT_NOT_FOUND }),
    ).toEqual(['secrets:read@staging', 'secrets:list']);
    expect(
      codeOf(() =>
        assertTenantPermission(ctx(principal), T2, 'secrets:list', { notFound: ErrorCode.TENANT_NOT_FOUND }),
      ),
    ).toBe('TENANT_NOT_FOUND');
  });
});
