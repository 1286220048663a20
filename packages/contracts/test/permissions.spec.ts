// The permission catalogue and its matching rules: every service authorises through these functions, so
// each rule has a case that fails if it is loosened (mutation testing, docs/testing.md).
import {
  BUILT_IN_GLOBAL_ROLES,
  BUILT_IN_TENANT_ROLES,
  coversPermission,
  GLOBAL_PERMISSIONS,
  intersectPermissions,
  isBuiltInTenantRole,
  isKnownPermission,
  PermissionName,
  permits,
  permitsSomewhere,
  splitPermission,
  TENANT_PERMISSIONS,
} from '../src/index.js';

describe('isKnownPermission', () => {
  it('knows every catalogue name, tenant and global', () => {
    for (const p of [...TENANT_PERMISSIONS, ...GLOBAL_PERMISSIONS])
      expect({ p, known: isKnownPermission(p) }).toEqual({ p, known: true });
  });

  it('accepts an environment limit only on the four secrets permissions, with a well-formed environment', () => {
    for (const p of ['secrets:list@staging', 'secrets:read@prod', 'secrets:write@dev-1', 'secrets:delete@a_b'])
      expect({ p, known: isKnownPermission(p) }).toEqual({ p, known: true });
    for (const p of [
      'tenant:read@staging',
      'users:manage@prod',
      'secrets:read@',
      'secrets:read@Prod',
      'secrets:read@-x',
      'secrets:read@a@b',
      `secrets:read@${'a'.repeat(64)}`,
    ]) {
      expect({ p, known: isKnownPermission(p) }).toEqual({ p, known: false });
    }
    expect(isKnownPermission(`secrets:read@${'a'.repeat(63)}`)).toBe(true);
  });

  it('refuses unknown names and near misses', () => {
    for (const p of ['', 'secrets', 'secrets:*', '*', 'secrets:read ', 'SECRETS:READ', 'admin'])
      expect({ p, known: isKnownPermission(p) }).toEqual({ p, known: false });
  });

  it('is what the PermissionName schema enforces, with a length cap', () => {
    expect(PermissionName.safeParse('secrets:read@staging').success).toBe(true);
    expect(PermissionName.safeParse('secrets:own').error?.issues[0]?.message).toBe('unknown permission');
    expect(PermissionName.safeParse(`secrets:read@${'a'.repeat(100)}`).success).toBe(false);
  });
});

describe('permits', () => {
  const granted = ['tenant:read', 'secrets:read@staging', 'secrets:list'];

  it('grants an exact permission in every environment', () => {
    expect(permits(granted, 'tenant:read')).toBe(true);
    expect(permits(granted, 'secrets:list', 'production')).toBe(true);
  });

  it('grants an environment-limited permission only in that environment', () => {
    expect(permits(granted, 'secrets:read', 'staging')).toBe(true);
    expect(permits(granted, 'secrets:read', 'production')).toBe(false);
    expect(permits(granted, 'secrets:read')).toBe(false);
  });

  it('never reads an unlimited request as the environment "undefined"', () => {
    expect(isKnownPermission('secrets:read@undefined')).toBe(true);
    expect(permits(['secrets:read@undefined'], 'secrets:read')).toBe(false);
  });

  it('refuses what is not granted', () => {
    expect(permits(granted, 'secrets:write', 'staging')).toBe(false);
    expect(permits([], 'tenant:read')).toBe(false);
  });

  it('permitsSomewhere: any environment, but not a permission that merely shares a prefix', () => {
    expect(permitsSomewhere(granted, 'secrets:read')).toBe(true);
    expect(permitsSomewhere(granted, 'secrets:list')).toBe(true);
    expect(permitsSomewhere(granted, 'secrets:write')).toBe(false);
    expect(permitsSomewhere(['secrets:readx'], 'secrets:read')).toBe(false);
  });
});

describe('built-in roles', () => {
  it('gives owners everything, admins everything but deleting the tenant', () => {
    expect([...BUILT_IN_TENANT_ROLES.owner]).toEqual([...TENANT_PERMISSIONS]);
    expect(BUILT_IN_TENANT_ROLES.admin).not.toContain('tenant:delete');
    expect(BUILT_IN_TENANT_ROLES.admin).toHaveLength(TENANT_PERMISSIONS.length - 1);
  });

  it('keeps members and viewers away from management, and viewers away from writes', () => {
    for (const role of ['member', 'viewer'] as const) {
      for (const p of ['tenant:update', 'tenant:delete', 'members:manage', 'webhooks:manage', 'audit:read'])
        expect(BUILT_IN_TENANT_ROLES[role]).not.toContain(p);
    }
    expect(BUILT_IN_TENANT_ROLES.member).toEqual([
      'tenant:read',
      'members:read',
      'secrets:list',
      'secrets:read',
      'secrets:write',
      'secrets:delete',
      'connections:use',
    ]);
    expect(BUILT_IN_TENANT_ROLES.viewer).toEqual(['tenant:read', 'members:read', 'secrets:list', 'secrets:read']);
  });

  it('gives global powers to the admin role only', () => {
    expect([...BUILT_IN_GLOBAL_ROLES.admin]).toEqual([...GLOBAL_PERMISSIONS]);
    expect(BUILT_IN_GLOBAL_ROLES.member).toEqual([]);
    expect(BUILT_IN_GLOBAL_ROLES.viewer).toEqual([]);
  });

  it('recognises the built-in tenant role names only', () => {
    for (const r of ['owner', 'admin', 'member', 'viewer']) expect(isBuiltInTenantRole(r)).toBe(true);
    for (const r of ['Owner', 'root', 'toString', '']) expect(isBuiltInTenantRole(r)).toBe(false);
  });
});

describe('token permission helpers', () => {
  it('splits a permission into its name and environment', () => {
    expect(splitPermission('secrets:read@staging')).toEqual({ base: 'secrets:read', env: 'staging' });
    expect(splitPermission('tenant:read')).toEqual({ base: 'tenant:read', env: undefined });
  });

  it('coversPermission: an unlimited grant covers every environment, a limited one only its own', () => {
    expect(coversPermission(['secrets:read'], 'secrets:read@staging')).toBe(true);
    expect(coversPermission(['secrets:read@staging'], 'secrets:read@staging')).toBe(true);
    expect(coversPermission(['secrets:read@staging'], 'secrets:read@prod')).toBe(false);
    expect(coversPermission(['secrets:read@staging'], 'secrets:read')).toBe(false);
    expect(coversPermission(['secrets:read'], 'secrets:read')).toBe(true);
    expect(coversPermission([], 'tenant:read')).toBe(false);
  });

  it('intersectPermissions keeps only what the grant and the holder share', () => {
    expect(intersectPermissions(['secrets:read', 'secrets:write'], ['secrets:read'])).toEqual(['secrets:read']);
    expect(intersectPermissions(['secrets:read'], ['secrets:read@staging', 'secrets:read@dev'])).toEqual([
      'secrets:read@dev',
      'secrets:read@staging',
    ]);
    expect(intersectPermissions(['secrets:read'], ['secrets:readx@dev', 'secrets:list@dev'])).toEqual([]);
    expect(intersectPermissions(['secrets:read@staging'], ['secrets:read'])).toEqual(['secrets:read@staging']);
    expect(intersectPermissions(['secrets:read@staging'], ['secrets:read@staging'])).toEqual(['secrets:read@staging']);
    expect(intersectPermissions(['secrets:read@prod'], ['secrets:read@staging'])).toEqual([]);
    expect(intersectPermissions(['users:manage'], [])).toEqual([]);
    expect(intersectPermissions(['b:x', 'a:x'], ['a:x', 'b:x'])).toEqual(['a:x', 'b:x']);
    expect(intersectPermissions(['secrets:read', 'secrets:read'], ['secrets:read'])).toEqual(['secrets:read']);
  });
});
