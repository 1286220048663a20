import {
  MembershipChanged,
  TenantsMembershipListForUser,
  TenantsTenantCreate,
  TenantsTenantGet,
  TenantsTenantList,
  TenantsTenantUpdate,
  TenantsMemberAdd,
} from '@lockwell/contracts';
import { asApiToken, asUser, eventually } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import { ADMIN_GRANTS, newUser, startTenants, type TenantsUnderTest } from './factories/tenants.js';

describe('tenants over NATS (real PostgreSQL)', () => {
  let h: TenantsUnderTest;
  beforeAll(async () => {
    h = await startTenants();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const create = (userId: string, body: { name: string; slug?: string; description?: string }) =>
    h.rpc.request(TenantsTenantCreate, body, asUser(userId));
  const fail = <T>(p: Promise<T>) =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e) => e,
    );

  it('makes the creator the owner and announces the membership through the outbox', async () => {
    const alice = newUser('alice');
    const t = await create(alice, { name: 'Acme Production', description: 'prod' });
    expect(t).toMatchObject({
      name: 'Acme Production',
      slug: 'acme-production',
      description: 'prod',
      status: 'active',
      role: 'owner',
      created_by: alice,
    });
    const { memberships } = await h.rpc.request(TenantsMembershipListForUser, { user_id: alice }, asUser(alice));
    expect(memberships).toEqual([{ tenant_id: t.id, role: 'owner' }]);
    const events = await eventually(async () => h.events.on(MembershipChanged.subject, (d) => d.tenant_id === t.id)[0]);
    expect(events.data).toMatchObject({
      user_id: alice,
      role: 'owner',
      previous_role: null,
      tenant_name: 'Acme Production',
    });
    const audit = await eventually(
      async () => h.events.on('audit.tenants.tenant.create', (d) => d.resource_id === t.id)[0],
    );
    expect(audit.data).toMatchObject({ tenant_id: t.id, actor: { type: 'user', id: alice }, outcome: 'success' });
  });

  it("answers a user's memberships to the gateway (no principal), to that user, or to holders of users:read only", async () => {
    const u = newUser();
    const other = newUser();
    const t = await create(u, { name: 'Resolve' });
    const system = { requestId: 'resolve', principal: null, ip: null, userAgent: null };
    expect((await h.rpc.request(TenantsMembershipListForUser, { user_id: u }, system)).memberships).toEqual([
      { tenant_id: t.id, role: 'owner' },
    ]);
    expect((await fail(h.rpc.request(TenantsMembershipListForUser, { user_id: u }, asUser(other)))).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await h.rpc.request(TenantsMembershipListForUser, { user_id: u }, asUser(other, ADMIN_GRANTS))).memberships,
    ).toHaveLength(1);
  });

  it('numbers generated slugs and refuses a taken explicit slug with SLUG_TAKEN', async () => {
    const u = newUser();
    const name = `Dup ${randomUUID().slice(0, 6)}`;
    const a = await create(u, { name });
    const b = await create(u, { name });
    expect(b.slug).toBe(`${a.slug}-2`);
    expect((await fail(create(u, { name: 'Other', slug: a.slug }))).code).toBe('SLUG_TAKEN');
  });

  it('rejects invalid names and slugs with VALIDATION_FAILED naming the field', async () => {
    const u = newUser();
    const e1 = await fail(create(u, { name: '   ' }));
    expect(e1.code).toBe('VALIDATION_FAILED');
    expect(e1.details[0].field).toBe('name');
    const e2 = await fail(create(u, { name: 'x', slug: 'Not A Slug' }));
    expect(e2.details[0].field).toBe('slug');
    const e3 = await fail(h.rpc.request(TenantsTenantCreate, { name: 'x', owner_id: u } as never, asUser(u)));
    expect(e3.code).toBe('VALIDATION_FAILED');
  });

  it('answers TENANT_NOT_FOUND to a non-member, the same as for an unknown id', async () => {
    const owner = newUser();
    const stranger = newUser();
    const t = await create(owner, { name: 'Private' });
    const e1 = await fail(h.rpc.request(TenantsTenantGet, { tenant_id: t.id }, asUser(stranger)));
    const e2 = await fail(h.rpc.request(TenantsTenantGet, { tenant_id: randomUUID() }, asUser(stranger)));
    expect([e1.code, e1.message]).toEqual([e2.code, e2.message]);
    expect(e1.code).toBe('TENANT_NOT_FOUND');
    expect(
      (await fail(h.rpc.request(TenantsTenantUpdate, { tenant_id: t.id, changes: { name: 'x' } }, asUser(stranger))))
        .code,
    ).toBe('TENANT_NOT_FOUND');
  });

  it('ignores memberships claimed in the principal: only the tenants database decides', async () => {
    const owner = newUser();
    const forger = newUser();
    const t = await create(owner, { name: 'Forged' });
    const ctx = asUser(forger, {
      memberships: [{ tenantId: t.id, role: 'owner', permissions: ['tenant:read', 'tenant:update'] }],
    });
    expect((await fail(h.rpc.request(TenantsTenantGet, { tenant_id: t.id }, ctx))).code).toBe('TENANT_NOT_FOUND');
  });

  it('lets owners and admins update, but not members or viewers', async () => {
    const owner = newUser();
    const admin = newUser();
    const viewer = newUser();
    const t = await create(owner, { name: 'Updatable' });
    await h.rpc.request(TenantsMemberAdd, { tenant_id: t.id, user_id: admin, role: 'admin' }, asUser(owner));
    await h.rpc.request(TenantsMemberAdd, { tenant_id: t.id, user_id: viewer, role: 'viewer' }, asUser(owner));
    const updated = await h.rpc.request(
      TenantsTenantUpdate,
      { tenant_id: t.id, changes: { name: 'Renamed', description: null } },
      asUser(admin),
    );
    expect(updated).toMatchObject({ name: 'Renamed', description: null, role: 'admin' });
    expect(
      (await fail(h.rpc.request(TenantsTenantUpdate, { tenant_id: t.id, changes: { name: 'Nope' } }, asUser(viewer))))
        .code,
    ).toBe('FORBIDDEN');
    expect((await h.rpc.request(TenantsTenantGet, { tenant_id: t.id }, asUser(viewer))).name).toBe('Renamed');
  });

  it("lists only the caller's tenants; installation admins see all, and can narrow to their own", async () => {
    const u1 = newUser();
    const u2 = newUser();
    const admin = newUser();
    const tag = randomUUID().slice(0, 8);
    const t1 = await create(u1, { name: `List ${tag} one` });
    const t2 = await create(u2, { name: `List ${tag} two` });
    const mine = await h.rpc.request(TenantsTenantList, { limit: 50, q: tag }, asUser(u1));
    expect(mine.items.map((t) => t.id)).toEqual([t1.id]);
    const all = await h.rpc.request(TenantsTenantList, { limit: 50, q: tag }, asUser(admin, ADMIN_GRANTS));
    expect(all.items.map((t) => t.id)).toEqual([t1.id, t2.id]);
    expect(all.items.every((t) => t.role === null)).toBe(true);
    expect(
      (await h.rpc.request(TenantsTenantList, { limit: 50, q: tag, scope: 'mine' }, asUser(admin, ADMIN_GRANTS))).items,
    ).toEqual([]);
    expect((await fail(h.rpc.request(TenantsTenantList, { limit: 50, scope: 'all' }, asUser(u1)))).code).toBe(
      'FORBIDDEN',
    );
    // An admin reads any tenant but cannot change it.
    expect((await h.rpc.request(TenantsTenantGet, { tenant_id: t1.id }, asUser(admin, ADMIN_GRANTS))).role).toBeNull();
    expect(
      (
        await fail(
          h.rpc.request(TenantsTenantUpdate, { tenant_id: t1.id, changes: { name: 'x' } }, asUser(admin, ADMIN_GRANTS)),
        )
      ).code,
    ).toBe('FORBIDDEN');
  });

  it('pages with an opaque cursor and rejects a forged one', async () => {
    const u = newUser();
    const tag = randomUUID().slice(0, 8);
    for (const n of [1, 2, 3]) await create(u, { name: `Page ${tag} ${n}` });
    const p1 = await h.rpc.request(TenantsTenantList, { limit: 2, q: tag }, asUser(u));
    expect(p1.items).toHaveLength(2);
    const p2 = await h.rpc.request(TenantsTenantList, { limit: 2, q: tag, cursor: p1.next_cursor! }, asUser(u));
    expect(p2.items.map((t) => t.name)).toEqual([`Page ${tag} 3`]);
    expect(p2.next_cursor).toBeNull();
    expect((await fail(h.rpc.request(TenantsTenantList, { limit: 2, cursor: 'garbage' }, asUser(u)))).code).toBe(
      'INVALID_CURSOR',
    );
  });

  it('limits an API token to the tenants its grant covers', async () => {
    const u = newUser();
    const t1 = await create(u, { name: 'Token one' });
    await create(u, { name: 'Token two' });
    const token = asApiToken(u, randomUUID(), {
      memberships: [{ tenantId: t1.id, role: 'owner', permissions: ['tenant:read'] }],
    });
    const list = await h.rpc.request(TenantsTenantList, { limit: 50 }, token);
    expect(list.items.map((t) => t.id)).toEqual([t1.id]);
    expect(
      (await fail(h.rpc.request(TenantsTenantUpdate, { tenant_id: t1.id, changes: { name: 'x' } }, token))).code,
    ).toBe('FORBIDDEN');
  });
});
