import {
  ConnectorsTenantPurged,
  MembershipChanged,
  NotificationsTenantPurged,
  TenantDeleted,
  TenantDeleting,
  TenantsMemberAdd,
  TenantsMemberRemove,
  TenantsMemberUpdate,
  TenantsMembershipListForUser,
  TenantsTenantCreate,
  TenantsTenantDelete,
  TenantsTenantGet,
  TenantsTenantUpdate,
  VaultTenantPurged,
} from '@lockwell/contracts';
import { asUser, eventually, publishEvent } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import { newUser, startTenants, type TenantsUnderTest } from './factories/tenants.js';

describe('tenant deletion saga (real NATS and PostgreSQL)', () => {
  let h: TenantsUnderTest;
  beforeAll(async () => {
    h = await startTenants();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const fail = (p: Promise<unknown>): Promise<any> =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e) => e,
    );
  const settle = () => new Promise((r) => setTimeout(r, 400));
  const sagaRow = async (tenantId: string) =>
    (await h.em().getConnection().execute(`select * from tenant_deletions where tenant_id = ?`, [tenantId]))[0] as
      Record<string, unknown> | undefined;
  const tenantExists = async (tenantId: string) =>
    (await h.em().getConnection().execute(`select 1 from tenants where id = ?`, [tenantId])).length === 1;

  async function deletingTenant() {
    const owner = newUser('owner');
    const member = newUser('member');
    const t = await h.rpc.request(TenantsTenantCreate, { name: `Doomed ${randomUUID().slice(0, 6)}` }, asUser(owner));
    await h.rpc.request(TenantsMemberAdd, { tenant_id: t.id, user_id: member, role: 'member' }, asUser(owner));
    const deleting = await h.rpc.request(TenantsTenantDelete, { tenant_id: t.id }, asUser(owner));
    return { owner, member, t, deleting };
  }

  it('lets only an owner start the deletion', async () => {
    const owner = newUser();
    const admin = newUser();
    const t = await h.rpc.request(TenantsTenantCreate, { name: 'Keep' }, asUser(owner));
    await h.rpc.request(TenantsMemberAdd, { tenant_id: t.id, user_id: admin, role: 'admin' }, asUser(owner));
    expect((await fail(h.rpc.request(TenantsTenantDelete, { tenant_id: t.id }, asUser(admin)))).code).toBe('FORBIDDEN');
    expect((await fail(h.rpc.request(TenantsTenantDelete, { tenant_id: t.id }, asUser(newUser())))).code).toBe(
      'TENANT_NOT_FOUND',
    );
    expect(await sagaRow(t.id)).toBeUndefined();
  });

  it('marks the tenant deleting, announces TenantDeleting and refuses every write with TENANT_DELETING', async () => {
    const { owner, member, t, deleting } = await deletingTenant();
    expect(deleting).toMatchObject({ id: t.id, status: 'deleting' });
    await eventually(async () => h.events.on(TenantDeleting.subject, (d) => d.tenant_id === t.id)[0]);
    expect((await h.rpc.request(TenantsTenantGet, { tenant_id: t.id }, asUser(member))).status).toBe('deleting');
    const writes: Promise<unknown>[] = [
      h.rpc.request(TenantsTenantUpdate, { tenant_id: t.id, changes: { name: 'x' } }, asUser(owner)),
      h.rpc.request(TenantsTenantDelete, { tenant_id: t.id }, asUser(owner)),
      h.rpc.request(TenantsMemberAdd, { tenant_id: t.id, user_id: newUser(), role: 'viewer' }, asUser(owner)),
      h.rpc.request(TenantsMemberUpdate, { tenant_id: t.id, user_id: member, role: 'viewer' }, asUser(owner)),
      h.rpc.request(TenantsMemberRemove, { tenant_id: t.id, user_id: member }, asUser(owner)),
      h.rpc.request(TenantsMemberRemove, { tenant_id: t.id, user_id: member }, asUser(member)),
    ];
    for (const w of writes) expect((await fail(w)).code).toBe('TENANT_DELETING');
    // Non-members still learn nothing.
    expect(
      (await fail(h.rpc.request(TenantsTenantUpdate, { tenant_id: t.id, changes: { name: 'x' } }, asUser(newUser()))))
        .code,
    ).toBe('TENANT_NOT_FOUND');
  });

  it('removes the tenant only when all three participants confirmed, idempotently under redelivery', async () => {
    const { owner, member, t } = await deletingTenant();
    const vaultEvent = await publishEvent(h.nats, VaultTenantPurged, { tenant_id: t.id }, t.id);
    await publishEvent(h.nats, VaultTenantPurged, { tenant_id: t.id }, t.id, vaultEvent); // redelivery, same event id
    await publishEvent(h.nats, VaultTenantPurged, { tenant_id: t.id }, t.id); // a second confirmation, new id
    await publishEvent(h.nats, ConnectorsTenantPurged, { tenant_id: t.id }, t.id);
    await eventually(async () => (await sagaRow(t.id))?.connectors_purged_at && (await sagaRow(t.id))?.vault_purged_at);
    await settle();
    expect(await tenantExists(t.id)).toBe(true);
    expect((await h.rpc.request(TenantsTenantGet, { tenant_id: t.id }, asUser(owner))).status).toBe('deleting');

    await publishEvent(h.nats, NotificationsTenantPurged, { tenant_id: t.id }, t.id);
    await eventually(async () => !(await tenantExists(t.id)));
    expect((await fail(h.rpc.request(TenantsTenantGet, { tenant_id: t.id }, asUser(owner)))).code).toBe(
      'TENANT_NOT_FOUND',
    );
    expect(
      (await h.rpc.request(TenantsMembershipListForUser, { user_id: member }, asUser(member))).memberships,
    ).toEqual([]);
    expect((await sagaRow(t.id))?.completed_at).toBeTruthy();
    const removed = await eventually(async () => {
      const evts = h.events.on(MembershipChanged.subject, (d) => d.tenant_id === t.id && d.role === null);
      return evts.length === 2 && evts;
    });
    expect(removed.map((e) => [e.data.user_id, e.data.previous_role]).sort()).toEqual(
      [
        [member, 'member'],
        [owner, 'owner'],
      ].sort(),
    );
    await eventually(async () => h.events.on(TenantDeleted.subject, (d) => d.tenant_id === t.id)[0]);
    await eventually(async () => h.events.on('audit.tenants.tenant.deleted', (d) => d.resource_id === t.id)[0]);

    // Late or repeated confirmations after completion change nothing.
    await publishEvent(h.nats, NotificationsTenantPurged, { tenant_id: t.id }, t.id);
    await publishEvent(h.nats, VaultTenantPurged, { tenant_id: t.id }, t.id);
    await settle();
    expect(h.events.on(TenantDeleted.subject, (d) => d.tenant_id === t.id)).toHaveLength(1);
  });

  it('completes exactly once when the three confirmations arrive at the same time', async () => {
    const { t } = await deletingTenant();
    await Promise.all(
      [VaultTenantPurged, ConnectorsTenantPurged, NotificationsTenantPurged].map((e) =>
        publishEvent(h.nats, e, { tenant_id: t.id }, t.id),
      ),
    );
    await eventually(async () => !(await tenantExists(t.id)));
    await settle();
    expect(h.events.on(TenantDeleted.subject, (d) => d.tenant_id === t.id)).toHaveLength(1);
  });

  it('ignores a confirmation for a tenant that is not being deleted', async () => {
    const owner = newUser();
    const t = await h.rpc.request(TenantsTenantCreate, { name: 'Alive' }, asUser(owner));
    for (const e of [VaultTenantPurged, ConnectorsTenantPurged, NotificationsTenantPurged])
      await publishEvent(h.nats, e, { tenant_id: t.id }, t.id);
    await settle();
    expect((await h.rpc.request(TenantsTenantGet, { tenant_id: t.id }, asUser(owner))).status).toBe('active');
    expect(await sagaRow(t.id)).toBeUndefined();
  });

  it('frees the slug once the tenant is gone', async () => {
    const owner = newUser();
    const slug: string = `reuse-${randomUUID().slice(0, 6)}`;
    const t = await h.rpc.request(TenantsTenantCreate, { name: 'Reuse', slug }, asUser(owner));
    await h.rpc.request(TenantsTenantDelete, { tenant_id: t.id }, asUser(owner));
    expect((await fail(h.rpc.request(TenantsTenantCreate, { name: 'Reuse', slug }, asUser(owner)))).code).toBe(
      'SLUG_TAKEN',
    );
    for (const e of [VaultTenantPurged, ConnectorsTenantPurged, NotificationsTenantPurged])
      await publishEvent(h.nats, e, { tenant_id: t.id }, t.id);
    await eventually(async () => !(await tenantExists(t.id)));
    expect((await h.rpc.request(TenantsTenantCreate, { name: 'Reuse', slug }, asUser(owner))).slug).toBe(slug);
  });
});
