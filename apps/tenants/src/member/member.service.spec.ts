import type { EntityManager } from '@mikro-orm/postgresql';
import {
  BUILT_IN_TENANT_ROLES,
  IdentityUserLookup,
  MembershipChanged,
  type RpcContract,
  type UserSummary,
} from '@lockwell/contracts';
import type { RpcClient } from '@lockwell/service-kit';
import { asApiToken, asUser, FakeClock, fakeUnitOfWork, membership, recordingOutbox } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import type { MembershipBroadcast } from '../membership/membership-broadcast.service.js';
import { MembershipEntity } from '../membership/membership.entity.js';
import type { MembershipRepository } from '../membership/membership.repository.js';
import type { RoleCatalog } from '../role/role-catalog.service.js';
import { TenantAccess } from '../tenant/tenant-access.service.js';
import { TenantEntity } from '../tenant/tenant.entity.js';
import type { TenantRepository } from '../tenant/tenant.repository.js';
import { MemberService } from './member.service.js';

// The member rules (who may add, re-role and remove whom; a tenant keeps an owner; leaving) with every
// collaborator faked: tables in memory, identity's user lookup and the role catalogue as plain functions.

const TENANT = randomUUID();
const users = new Map<string, UserSummary>();
const newUser = (): string => {
  const id = randomUUID();
  users.set(id, { id, email: `${id.slice(0, 8)}@example.test`, full_name: 'Someone', status: 'active' });
  return id;
};

function setUp(status: 'active' | 'deleting' = 'active') {
  const tenant = Object.assign(new TenantEntity(), { id: TENANT, name: 'Acme', slug: 'acme', status });
  const rows: MembershipEntity[] = [];
  const tenants = {
    find: async (_em: EntityManager, id: string) => (id === TENANT ? tenant : null),
  } as unknown as TenantRepository;
  const memberships = {
    find: async (_em: EntityManager, tenantId: string, userId: string) =>
      rows.find((m) => m.tenantId === tenantId && m.userId === userId) ?? null,
    add: (_em: EntityManager, tenantId: string, m: Omit<MembershipEntity, 'tenantId'>) => {
      const row = Object.assign(new MembershipEntity(), { ...m, tenantId });
      rows.push(row);
      return row;
    },
    remove: (_em: EntityManager, m: MembershipEntity) => void rows.splice(rows.indexOf(m), 1),
    countOwners: async (_em: EntityManager, tenantId: string) =>
      rows.filter((m) => m.tenantId === tenantId && m.role === 'owner').length,
  } as unknown as MembershipRepository;
  const roles = {
    permissionsOfRole: async (_ctx: unknown, r: string) =>
      r in BUILT_IN_TENANT_ROLES ? BUILT_IN_TENANT_ROLES[r as 'owner'] : null,
  } as unknown as RoleCatalog;
  const rpc = {
    request: async (contract: RpcContract, data: { user_ids: string[]; emails?: string[] }) => {
      if (contract !== IdentityUserLookup) throw new Error(`unexpected call ${contract.subject}`);
      return {
        users: [...users.values()].filter((u) => data.user_ids.includes(u.id) || data.emails?.includes(u.email)),
      };
    },
  } as unknown as RpcClient;
  const broadcast: string[] = [];
  const outbox = recordingOutbox();
  const service = new MemberService(
    fakeUnitOfWork(),
    memberships,
    new TenantAccess(roles, tenants, memberships),
    roles,
    rpc,
    outbox,
    { published: async (ids: string[]) => void broadcast.push(...ids) } as unknown as MembershipBroadcast,
    new FakeClock('2026-12-01T10:00:00Z'),
  );
  const seat = (role: string, userId = newUser()) => {
    rows.push(
      Object.assign(new MembershipEntity(), {
        id: randomUUID(),
        tenantId: TENANT,
        userId,
        role,
        createdAt: new Date(),
        updatedAt: new Date(),
      }),
    );
    return userId;
  };
  return {
    service,
    rows,
    outbox,
    broadcast,
    seat,
    roleOf: (userId: string) => rows.find((m) => m.userId === userId)?.role,
  };
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: string }) => e.code,
  );

describe('MemberService', () => {
  it('adds a member by id or email, queues MembershipChanged and the audit record, and replies once the event is out', async () => {
    const t = setUp();
    const owner = t.seat('owner');
    const bob = newUser();
    const added = await t.service.add(asUser(owner), TENANT, { email: users.get(bob)!.email }, 'member');
    expect(added).toMatchObject({ tenant_id: TENANT, user_id: bob, role: 'member', email: users.get(bob)!.email });
    expect(t.roleOf(bob)).toBe('member');
    expect(t.outbox.eventsOf(MembershipChanged)).toEqual([
      { tenant_id: TENANT, tenant_name: 'Acme', user_id: bob, role: 'member', previous_role: null, changed_by: owner },
    ]);
    expect(t.outbox.auditActions()).toEqual(['member.add']);
    expect(t.broadcast).toEqual([t.outbox.events[0]!.id]);
  });

  it('refuses a user identity does not know, a duplicate and an unknown role, adding nobody', async () => {
    const t = setUp();
    const owner = t.seat('owner');
    const member = t.seat('member');
    expect(await code(t.service.add(asUser(owner), TENANT, { userId: randomUUID() }, 'member'))).toBe('USER_NOT_FOUND');
    expect(await code(t.service.add(asUser(owner), TENANT, { userId: member }, 'viewer'))).toBe('ALREADY_MEMBER');
    expect(await code(t.service.add(asUser(owner), TENANT, { userId: newUser() }, 'no-such-role'))).toBe(
      'ROLE_NOT_FOUND',
    );
    expect(t.rows).toHaveLength(2);
    expect(t.outbox.events).toEqual([]);
  });

  it('lets only an owner grant or revoke owner; an admin manages everyone else', async () => {
    const t = setUp();
    const owner = t.seat('owner');
    const admin = t.seat('admin');
    const bob = t.seat('member');
    expect(await code(t.service.changeRole(asUser(admin), TENANT, bob, 'owner'))).toBe('FORBIDDEN');
    expect(await code(t.service.changeRole(asUser(admin), TENANT, owner, 'member'))).toBe('FORBIDDEN');
    await t.service.changeRole(asUser(admin), TENANT, bob, 'viewer');
    expect(t.roleOf(bob)).toBe('viewer');
    await t.service.changeRole(asUser(owner), TENANT, bob, 'owner');
    expect(t.roleOf(bob)).toBe('owner');
  });

  it('keeps a tenant owned: the last owner can be neither demoted nor removed, nor leave', async () => {
    const t = setUp();
    const owner = t.seat('owner');
    expect(await code(t.service.changeRole(asUser(owner), TENANT, owner, 'admin'))).toBe('LAST_OWNER');
    expect(await code(t.service.remove(asUser(owner), TENANT, owner))).toBe('LAST_OWNER');
    const second = t.seat('owner');
    await t.service.remove(asUser(owner), TENANT, owner);
    expect(t.rows.map((m) => m.userId)).toEqual([second]);
  });

  it('lets any member leave with their own session, but counts their API token removing them as management', async () => {
    const t = setUp();
    t.seat('owner');
    const viewer = t.seat('viewer');
    const tokenOfViewer = asApiToken(viewer, randomUUID(), {
      memberships: [membership(TENANT, BUILT_IN_TENANT_ROLES.viewer, 'viewer')],
    });
    expect(await code(t.service.remove(tokenOfViewer, TENANT, viewer))).toBe('FORBIDDEN');
    await t.service.remove(asUser(viewer), TENANT, viewer);
    expect(t.roleOf(viewer)).toBeUndefined();
    expect(t.outbox.audits.map((a) => [a.action, a.detail])).toEqual([
      ['member.remove', { previous_role: 'viewer', left: true }],
    ]);
  });

  it('shows a tenant to outsiders as missing, and refuses member writes while the tenant is being deleted', async () => {
    const t = setUp();
    expect(await code(t.service.add(asUser(newUser()), TENANT, { userId: newUser() }, 'member'))).toBe(
      'TENANT_NOT_FOUND',
    );
    const deleting = setUp('deleting');
    const owner = deleting.seat('owner');
    expect(await code(deleting.service.add(asUser(owner), TENANT, { userId: newUser() }, 'member'))).toBe(
      'TENANT_DELETING',
    );
    expect(await code(deleting.service.remove(asUser(owner), TENANT, owner))).toBe('TENANT_DELETING');
  });
});
