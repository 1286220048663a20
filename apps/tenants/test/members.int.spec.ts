import {
  MembershipChanged,
  TenantsMemberAdd,
  TenantsMemberList,
  TenantsMemberRemove,
  TenantsMemberUpdate,
  TenantsMembershipListForUser,
  TenantsMembershipSoleOwner,
  TenantsTenantCreate,
  TenantsTenantDelete,
  TenantsTenantUpdate,
  UserDeleted,
} from '@lockwell/contracts';
import { createRpcClient, loadBusCredentials } from '@lockwell/service-kit';
import { asUser, busEnv, eventually, publishEvent } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import {
  ADMIN_GRANTS,
  identityFixtures,
  newCustomRole,
  newUser,
  startTenants,
  type TenantsUnderTest,
} from './factories/tenants.js';

describe('tenant members over NATS (real PostgreSQL)', () => {
  let h: TenantsUnderTest;
  beforeAll(async () => {
    h = await startTenants();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const fail = <T>(p: Promise<T>) =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e) => e,
    );
  const tenantOf = async (owner: string) =>
    (await h.rpc.request(TenantsTenantCreate, { name: `Team ${randomUUID().slice(0, 6)}` }, asUser(owner))).id;
  const add = (by: string, tenant_id: string, user_id: string, role: string) =>
    h.rpc.request(TenantsMemberAdd, { tenant_id, user_id, role }, asUser(by));
  const setRole = (by: string, tenant_id: string, user_id: string, role: string) =>
    h.rpc.request(TenantsMemberUpdate, { tenant_id, user_id, role }, asUser(by));
  const remove = (by: string, tenant_id: string, user_id: string) =>
    h.rpc.request(TenantsMemberRemove, { tenant_id, user_id }, asUser(by));

  it('adds a member, lists them with email and full name from identity, and emits MembershipChanged + audit', async () => {
    const owner = newUser('owner');
    const bob = newUser('bob');
    const t = await tenantOf(owner);
    const added = await add(owner, t, bob, 'member');
    expect(added).toMatchObject({
      tenant_id: t,
      user_id: bob,
      role: 'member',
      email: identityFixtures.users.get(bob)!.email,
      full_name: identityFixtures.users.get(bob)!.full_name,
    });
    const list = await h.rpc.request(TenantsMemberList, { tenant_id: t, limit: 50 }, asUser(bob));
    expect(list.items.map((m) => [m.user_id, m.role])).toEqual([
      [owner, 'owner'],
      [bob, 'member'],
    ]);
    const evt = await eventually(
      async () => h.events.on(MembershipChanged.subject, (d) => d.tenant_id === t && d.user_id === bob)[0],
    );
    expect(evt.data).toMatchObject({ role: 'member', previous_role: null, changed_by: owner });
    await eventually(
      async () => h.events.on('audit.tenants.member.add', (d) => d.tenant_id === t && d.resource_id === bob)[0],
    );
    expect((await h.rpc.request(TenantsMembershipListForUser, { user_id: bob }, asUser(bob))).memberships).toEqual([
      { tenant_id: t, role: 'member' },
    ]);
  });

  it('replies to a membership write only once its MembershipChanged is on the bus (gateways invalidate before the next request)', async () => {
    const owner = newUser();
    const t = await tenantOf(owner);
    const pendingMembershipEvents = async () =>
      (await h.em().getConnection().execute(`select 1 from outbox where subject = ?`, [MembershipChanged.subject]))
        .length;
    expect(await pendingMembershipEvents()).toBe(0);
    const u = newUser();
    await add(owner, t, u, 'admin');
    expect(await pendingMembershipEvents()).toBe(0);
    await setRole(owner, t, u, 'viewer');
    expect(await pendingMembershipEvents()).toBe(0);
    await remove(owner, t, u);
    expect(await pendingMembershipEvents()).toBe(0);
    expect(
      h.events.on(MembershipChanged.subject, (d) => d.tenant_id === t && d.user_id === u).map((e) => e.data.role),
    ).toEqual(['admin', 'viewer', null]);
  });

  it('refuses unknown users, unknown custom roles and duplicates', async () => {
    const owner = newUser();
    const bob = newUser();
    const t = await tenantOf(owner);
    expect((await fail(add(owner, t, randomUUID(), 'member'))).code).toBe('USER_NOT_FOUND');
    expect((await fail(add(owner, t, bob, randomUUID()))).code).toBe('ROLE_NOT_FOUND');
    expect((await fail(add(owner, t, bob, 'superuser'))).code).toBe('VALIDATION_FAILED');
    await add(owner, t, bob, 'viewer');
    expect((await fail(add(owner, t, bob, 'member'))).code).toBe('ALREADY_MEMBER');
  });

  it('accepts a custom role from identity and authorises with its permissions', async () => {
    const owner = newUser();
    const carol = newUser();
    const editor = newCustomRole(['tenant:read', 'tenant:update']);
    const t = await tenantOf(owner);
    await add(owner, t, carol, editor);
    expect(
      (await h.rpc.request(TenantsTenantUpdate, { tenant_id: t, changes: { description: 'edited' } }, asUser(carol)))
        .description,
    ).toBe('edited');
    expect((await fail(h.rpc.request(TenantsMemberList, { tenant_id: t, limit: 50 }, asUser(carol)))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('does not let a member or viewer manage members', async () => {
    const owner = newUser();
    const member = newUser();
    const viewer = newUser();
    const other = newUser();
    const t = await tenantOf(owner);
    await add(owner, t, member, 'member');
    await add(owner, t, viewer, 'viewer');
    expect((await fail(add(member, t, other, 'viewer'))).code).toBe('FORBIDDEN');
    expect((await fail(setRole(member, t, member, 'admin'))).code).toBe('FORBIDDEN');
    expect((await fail(setRole(viewer, t, member, 'viewer'))).code).toBe('FORBIDDEN');
    expect((await fail(remove(member, t, viewer))).code).toBe('FORBIDDEN');
  });

  it('gives a tenant admin no power in another tenant (404, not 403)', async () => {
    const o1 = newUser();
    const o2 = newUser();
    const admin = newUser();
    const x = newUser();
    const t1 = await tenantOf(o1);
    const t2 = await tenantOf(o2);
    await add(o1, t1, admin, 'admin');
    expect((await fail(add(admin, t2, x, 'viewer'))).code).toBe('TENANT_NOT_FOUND');
    expect((await fail(h.rpc.request(TenantsMemberList, { tenant_id: t2, limit: 50 }, asUser(admin)))).code).toBe(
      'TENANT_NOT_FOUND',
    );
    expect((await fail(remove(admin, t2, o2))).code).toBe('TENANT_NOT_FOUND');
    expect((await fail(setRole(admin, t2, o2, 'viewer'))).code).toBe('TENANT_NOT_FOUND');
  });

  it('lets only an owner grant or revoke the owner role', async () => {
    const owner = newUser();
    const admin = newUser();
    const bob = newUser();
    const t = await tenantOf(owner);
    await add(owner, t, admin, 'admin');
    await add(owner, t, bob, 'member');
    expect((await fail(setRole(admin, t, bob, 'owner'))).code).toBe('FORBIDDEN');
    expect((await fail(setRole(admin, t, owner, 'admin'))).code).toBe('FORBIDDEN');
    expect((await fail(remove(admin, t, owner))).code).toBe('FORBIDDEN');
    expect((await setRole(admin, t, bob, 'viewer')).role).toBe('viewer');
    expect((await setRole(owner, t, bob, 'owner')).role).toBe('owner');
  });

  it('keeps at least one owner: the last owner cannot be demoted, removed or leave (LAST_OWNER)', async () => {
    const owner = newUser();
    const second = newUser();
    const t = await tenantOf(owner);
    expect((await fail(setRole(owner, t, owner, 'admin'))).code).toBe('LAST_OWNER');
    expect((await fail(remove(owner, t, owner))).code).toBe('LAST_OWNER');
    await add(owner, t, second, 'owner');
    await remove(owner, t, owner);
    expect((await fail(remove(second, t, second))).code).toBe('LAST_OWNER');
    expect(
      (await h.rpc.request(TenantsMemberList, { tenant_id: t, limit: 50 }, asUser(second))).items.map((m) => m.user_id),
    ).toEqual([second]);
  });

  it('serialises concurrent demotions so the tenant never ends up without an owner', async () => {
    const a = newUser();
    const b = newUser();
    const t = await tenantOf(a);
    await add(a, t, b, 'owner');
    const results = await Promise.allSettled([setRole(a, t, b, 'admin'), setRole(b, t, a, 'admin')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const list = await h.rpc.request(
      TenantsMemberList,
      { tenant_id: t, limit: 50, role: 'owner' },
      asUser(a, ADMIN_GRANTS),
    );
    expect(list.items).toHaveLength(1);
  });

  it('lets any member leave, and applies a removal to the very next call', async () => {
    const owner = newUser();
    const viewer = newUser();
    const admin = newUser();
    const t = await tenantOf(owner);
    await add(owner, t, viewer, 'viewer');
    await add(owner, t, admin, 'admin');
    await remove(viewer, t, viewer);
    expect((await fail(h.rpc.request(TenantsMemberList, { tenant_id: t, limit: 50 }, asUser(viewer)))).code).toBe(
      'TENANT_NOT_FOUND',
    );
    // Demoted: the next call is judged by the new role, whatever a stale principal says.
    await setRole(owner, t, admin, 'viewer');
    const stale = asUser(admin, {
      memberships: [{ tenantId: t, role: 'admin', permissions: ['members:manage', 'members:read', 'tenant:read'] }],
    });
    expect(
      (await fail(h.rpc.request(TenantsMemberAdd, { tenant_id: t, user_id: newUser(), role: 'viewer' }, stale))).code,
    ).toBe('FORBIDDEN');
    const evt = await eventually(
      async () =>
        h.events.on(MembershipChanged.subject, (d) => d.tenant_id === t && d.user_id === viewer && d.role === null)[0],
    );
    expect(evt.data).toMatchObject({ previous_role: 'viewer', changed_by: viewer });
  });
  it('names the active tenants a user owns alone, to identity only and for users:manage', async () => {
    const identity = createRpcClient(
      loadBusCredentials('identity', busEnv(h.nats, 'identity')),
      'tenants-test-identity',
      5000,
    );
    try {
      const gone = newUser('gone');
      const other = newUser('other');
      const solo = await tenantOf(gone);
      const shared = await tenantOf(gone);
      await add(gone, shared, other, 'owner');
      const member = await tenantOf(other);
      await add(other, member, gone, 'admin');
      const dying = await tenantOf(gone);
      await h.rpc.request(TenantsTenantDelete, { tenant_id: dying }, asUser(gone));
      const userAdmin = asUser(newUser('admin'), ADMIN_GRANTS);
      expect(await identity.request(TenantsMembershipSoleOwner, { user_id: gone }, userAdmin)).toEqual({
        tenant_ids: [solo],
      });
      expect(await identity.request(TenantsMembershipSoleOwner, { user_id: other }, userAdmin)).toEqual({
        tenant_ids: [member],
      });
      expect((await fail(identity.request(TenantsMembershipSoleOwner, { user_id: gone }, asUser(gone)))).code).toBe(
        'FORBIDDEN',
      );
      // The gateway may not ask: only identity is a declared caller (nats-server would refuse the publish too,
      // service-kit's bus-permissions test).
      expect(await fail(h.rpc.request(TenantsMembershipSoleOwner, { user_id: gone }, userAdmin))).toMatchObject({
        code: 'INTERNAL',
        message: expect.stringContaining('not declared as a caller'),
      });
    } finally {
      await identity.onApplicationShutdown();
    }
  });

  it('removes a deleted user from every tenant once (UserDeleted), announcing and auditing each removal', async () => {
    const gone = newUser('gone');
    const owner = newUser('owner');
    const t1 = await tenantOf(owner);
    await add(owner, t1, gone, 'admin');
    const t2 = await tenantOf(gone);
    await add(gone, t2, owner, 'owner');
    const eventId = await publishEvent(h.nats, UserDeleted, { user_id: gone }, null);
    await publishEvent(h.nats, UserDeleted, { user_id: gone }, null, eventId); // redelivery: applied once
    await eventually(
      async () =>
        (await h.rpc.request(TenantsMembershipListForUser, { user_id: gone }, asUser(gone))).memberships.length === 0,
    );
    for (const t of [t1, t2]) {
      expect(
        (await h.rpc.request(TenantsMemberList, { tenant_id: t, limit: 50 }, asUser(owner))).items.map(
          (m) => m.user_id,
        ),
      ).toEqual([owner]);
    }
    const removed = await eventually(async () => {
      const evts = h.events.on(MembershipChanged.subject, (d) => d.user_id === gone && d.role === null);
      return evts.length === 2 && evts;
    });
    expect(removed.map((e) => [e.data.tenant_id, e.data.previous_role, e.data.changed_by]).sort()).toEqual(
      [
        [t1, 'admin', null],
        [t2, 'owner', null],
      ].sort(),
    );
    const audits = await eventually(async () => {
      const a = h.events.on('audit.tenants.member.remove', (d) => d.resource_id === gone);
      return a.length === 2 && a;
    });
    for (const a of audits)
      expect(a.data).toMatchObject({ actor: { type: 'system', id: 'tenants' }, detail: { reason: 'user_deleted' } });
    expect(audits.some((a) => 'tenant_left_without_owner' in a.data.detail)).toBe(false);
  });

  it('audits a tenant left without an owner when its only owner is deleted anyway (its co-owner left after identity checked)', async () => {
    const gone = newUser('gone');
    const t = await tenantOf(gone);
    await publishEvent(h.nats, UserDeleted, { user_id: gone }, null);
    const [audit] = await eventually(async () => {
      const a = h.events.on('audit.tenants.member.remove', (d) => d.resource_id === gone && d.tenant_id === t);
      return a.length === 1 && a;
    });
    expect(audit!.data.detail).toEqual({
      previous_role: 'owner',
      reason: 'user_deleted',
      tenant_left_without_owner: true,
    });
    expect(await h.em().execute(`select 1 from memberships where tenant_id = ?`, [t])).toEqual([]);
  });
});
