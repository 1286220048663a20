import type { EntityManager } from '@mikro-orm/postgresql';
import { BUILT_IN_TENANT_ROLES, type CallContext, type Principal } from '@lockwell/contracts';
import { anonymous, asApiToken, asUser, fakeUnitOfWork } from '@lockwell/testing';
import type { MembershipEntity } from '../membership/membership.entity.js';
import type { MembershipRepository } from '../membership/membership.repository.js';
import type { RoleCatalog } from '../role/role-catalog.service.js';
import { TenantEntity } from './tenant.entity.js';
import type { TenantRepository } from './tenant.repository.js';
import { assertWritable, TenantAccess } from './tenant-access.service.js';

const TENANT = '11111111-1111-4111-8111-111111111111';
const USER = '22222222-2222-4222-8222-222222222222';

// Stand-ins for the two tables: one tenant, and the memberships a test gives; the tenant lookups' options are recorded.
const tenantLookups: unknown[] = [];
let rows: { userId: string; role: string }[] = [];
const tenants = {
  find: async (_em: EntityManager, tenantId: string, opts?: unknown) => {
    tenantLookups.push(opts);
    return tenantId === TENANT ? Object.assign(new TenantEntity(), { id: TENANT, name: 'T', slug: 't' }) : null;
  },
} as unknown as TenantRepository;
const memberships = {
  find: async (_em: EntityManager, tenantId: string, userId: string) =>
    tenantId === TENANT ? ((rows.find((m) => m.userId === userId) as MembershipEntity | undefined) ?? null) : null,
} as unknown as MembershipRepository;
/** The unit of work with these memberships of the tenant. */
function emWith(memberships: { userId: string; role: string }[]): EntityManager {
  rows = memberships;
  return fakeUnitOfWork();
}

const roles = {
  permissionsOfRole: async (_ctx: unknown, r: string) =>
    r in BUILT_IN_TENANT_ROLES ? BUILT_IN_TENANT_ROLES[r as 'owner'] : null,
} as unknown as RoleCatalog;
const ctx = (p: Partial<Principal>): CallContext =>
  p.kind === 'api_token' ? asApiToken(USER, p.tokenId!, p) : asUser(USER, p);

describe('TenantAccess', () => {
  const access = new TenantAccess(roles, tenants, memberships);

  it('grants a member the permissions of the role stored here, whatever the principal claims', async () => {
    const a = await access.resolve(
      emWith([{ userId: USER, role: 'viewer' }]),
      ctx({ memberships: [{ tenantId: TENANT, role: 'owner', permissions: [...BUILT_IN_TENANT_ROLES.owner] }] }),
      TENANT,
    );
    expect(a.role).toBe('viewer');
    expect(a.permissions).toEqual(BUILT_IN_TENANT_ROLES.viewer);
  });

  it('answers TENANT_NOT_FOUND to a non-member and for an unknown tenant alike', async () => {
    await expect(access.resolve(emWith([]), ctx({}), TENANT)).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
    await expect(access.resolve(emWith([]), ctx({}), '33333333-3333-4333-8333-333333333333')).rejects.toMatchObject({
      code: 'TENANT_NOT_FOUND',
    });
  });

  it('gives an installation admin read-only access to a tenant they do not belong to', async () => {
    const a = await access.resolve(emWith([]), ctx({ globalPermissions: ['tenants:read-all'] }), TENANT);
    expect(a.role).toBeNull();
    expect(a.permissions).toEqual(['tenant:read', 'members:read']);
    await expect(
      access.require(emWith([]), ctx({ globalPermissions: ['tenants:read-all'] }), TENANT, 'members:manage'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("limits an API token to the intersection of its grant and its owner's role", async () => {
    const token = (permissions: string[]) =>
      ctx({
        kind: 'api_token',
        tokenId: '44444444-4444-4444-8444-444444444444',
        memberships: permissions.length ? [{ tenantId: TENANT, role: 'owner', permissions }] : [],
      });
    const em = emWith([{ userId: USER, role: 'owner' }]);
    expect(await access.resolve(em, token(['tenant:read', 'members:read']), TENANT)).toMatchObject({
      role: 'owner',
      permissions: ['members:read', 'tenant:read'],
      viaToken: true,
    });
    // A token's grant never widens the role behind it.
    const viewer = emWith([{ userId: USER, role: 'viewer' }]);
    expect(
      (await access.resolve(viewer, token(['tenant:read', 'members:manage', 'secrets:read@staging']), TENANT))
        .permissions,
    ).toEqual(['secrets:read@staging', 'tenant:read']);
    await expect(access.resolve(em, token([]), TENANT)).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
  });

  it('requires a principal', async () => {
    await expect(access.resolve(emWith([]), anonymous(), TENANT)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('trusts its own membership row over a stale principal: a promoted member gets the new role at once (AZ-6)', async () => {
    const stale = ctx({
      memberships: [{ tenantId: TENANT, role: 'viewer', permissions: [...BUILT_IN_TENANT_ROLES.viewer] }],
    });
    const a = await access.require(emWith([{ userId: USER, role: 'owner' }]), stale, TENANT, 'members:manage');
    expect(a.permissions).toEqual(BUILT_IN_TENANT_ROLES.owner);
  });

  it("says whether the access came through an API token: a member's session, an admin's session or token", async () => {
    expect((await access.resolve(emWith([{ userId: USER, role: 'member' }]), ctx({}), TENANT)).viaToken).toBe(false);
    expect((await access.resolve(emWith([]), ctx({ globalPermissions: ['tenants:read-all'] }), TENANT)).viaToken).toBe(
      false,
    );
    const adminToken = ctx({
      kind: 'api_token',
      tokenId: '44444444-4444-4444-8444-444444444444',
      globalPermissions: ['tenants:read-all'],
    });
    expect(await access.resolve(emWith([]), adminToken, TENANT)).toMatchObject({ role: null, viaToken: true });
  });

  it('lets a member with the permission through and refuses one without it', async () => {
    const em = emWith([{ userId: USER, role: 'member' }]);
    await expect(access.require(em, ctx({}), TENANT, 'secrets:write')).resolves.toMatchObject({
      role: 'member',
      userId: USER,
    });
    await expect(access.require(em, ctx({}), TENANT, 'members:manage')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('grants nothing through a custom role identity does not know (deleted)', async () => {
    const a = await access.resolve(
      emWith([{ userId: USER, role: '55555555-5555-4555-8555-555555555555' }]),
      ctx({}),
      TENANT,
    );
    expect(a.permissions).toEqual([]);
  });

  it('hides an unknown tenant even from an installation admin', async () => {
    await expect(
      access.resolve(
        emWith([]),
        ctx({ globalPermissions: ['tenants:read-all'] }),
        '33333333-3333-4333-8333-333333333333',
      ),
    ).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
    await expect(
      access.resolve(emWith([{ userId: USER, role: 'owner' }]), ctx({}), '33333333-3333-4333-8333-333333333333'),
    ).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
  });

  it('locks the tenant row only when asked to', async () => {
    tenantLookups.length = 0;
    await access.resolve(emWith([{ userId: USER, role: 'owner' }]), ctx({}), TENANT, { lock: true });
    await access.resolve(emWith([{ userId: USER, role: 'owner' }]), ctx({}), TENANT);
    expect(tenantLookups).toEqual([{ lock: true }, { lock: undefined }]);
  });

  it('refuses writes to a tenant being deleted', () => {
    const tenant = (status: string) => Object.assign(new TenantEntity(), { id: TENANT, status });
    expect(() => assertWritable(tenant('deleting'))).toThrow(expect.objectContaining({ code: 'TENANT_DELETING' }));
    expect(() => assertWritable(tenant('active'))).not.toThrow();
  });
});
