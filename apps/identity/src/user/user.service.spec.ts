import type { EntityManager } from '@mikro-orm/postgresql';
import { BUILT_IN_GLOBAL_ROLES, UserChanged } from '@lockwell/contracts';
import { asUser, FakeClock, fakeUnitOfWork, recordingOutbox } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import type { PasswordHasher } from '../password/password-hasher.js';
import { RoleEntity } from '../role/role.entity.js';
import type { RoleService } from '../role/role.service.js';
import type { SessionRevoker } from '../session/session-revoker.js';
import { UserEntity } from './user.entity.js';
import type { UserRepository } from './user.repository.js';
import { UserService } from './user.service.js';

// The user administration rules (no escalation, an administrator always remains, disabling ends sessions) with
// every collaborator faked: the users and their roles in memory, a hasher that only tags, a recording outbox.

const builtIn = (name: 'admin' | 'member' | 'viewer') =>
  Object.assign(new RoleEntity(), { id: randomUUID(), name, builtIn: true, permissions: [] });
const ROLES = { admin: builtIn('admin'), member: builtIn('member'), viewer: builtIn('viewer') };
const ADMIN_PERMISSIONS = [...BUILT_IN_GLOBAL_ROLES.admin];

function setUp() {
  const users = new Map<string, UserEntity>();
  const held = new Map<string, RoleEntity[]>();
  const revoked: string[] = [];
  const repository = {
    find: async (_em: EntityManager, id: string) => users.get(id) ?? null,
    emailTaken: async (_em: EntityManager, email: string) => [...users.values()].some((u) => u.email === email),
    add: (_em: EntityManager, u: Partial<UserEntity>) => {
      const user = Object.assign(new UserEntity(), u);
      users.set(user.id, user);
      return user;
    },
    countActiveAdmins: async () =>
      [...users.values()].filter((u) => u.status === 'active' && held.get(u.id)?.includes(ROLES.admin)).length,
  } as unknown as UserRepository;
  const roles = {
    resolveReferences: async (_em: EntityManager, refs: string[]) => refs.map((r) => ROLES[r as keyof typeof ROLES]),
    rolesOf: async (_em: EntityManager, ids: string[]) => new Map(ids.map((id) => [id, held.get(id) ?? []])),
    assign: async (_em: EntityManager, userId: string, roleIds: string[]) =>
      void held.set(
        userId,
        Object.values(ROLES).filter((r) => roleIds.includes(r.id)),
      ),
  } as unknown as RoleService;
  const revoker = {
    revoke: async (_em: EntityManager, userId: string) => (revoked.push(userId), ['s1']),
  } as unknown as SessionRevoker;
  const hasher = { hash: async (p: string) => `hashed:${p}` } as unknown as PasswordHasher;
  const outbox = recordingOutbox();
  const clock = new FakeClock('2026-12-01T10:00:00Z');
  const service = new UserService(fakeUnitOfWork(), repository, roles, revoker, outbox, hasher, clock);
  /** A user already there, holding `role`. */
  const existing = (role: keyof typeof ROLES) => {
    const id = randomUUID();
    users.set(
      id,
      Object.assign(new UserEntity(), {
        id,
        email: `${id.slice(0, 8)}@example.test`,
        fullName: 'U',
        passwordHash: 'x',
        status: 'active',
        createdAt: clock.now(),
        updatedAt: clock.now(),
      }),
    );
    held.set(id, [ROLES[role]]);
    return id;
  };
  return { service, users, held, revoked, outbox, clock, existing };
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: string }) => e.code,
  );
const admin = () => asUser(randomUUID(), { globalPermissions: ADMIN_PERMISSIONS });
const userManager = () => asUser(randomUUID(), { globalPermissions: ['users:read', 'users:manage'] });

describe('UserService', () => {
  it('creates a member by default with a hashed password, and audits it', async () => {
    const t = setUp();
    const created = await t.service.create(admin(), {
      email: 'new@example.test',
      password: 'a perfectly long passphrase',
      full_name: 'New',
    });
    expect(created).toMatchObject({ email: 'new@example.test', status: 'active', roles: [{ name: 'member' }] });
    expect(t.users.get(created.id)!.passwordHash).toBe('hashed:a perfectly long passphrase');
    expect(t.outbox.audits.map((a) => [a.action, a.detail])).toEqual([['user.create', { roles: ['member'] }]]);
  });

  it('refuses callers without users:manage, weak passwords and taken emails', async () => {
    const t = setUp();
    const body = { email: 'x@example.test', password: 'a perfectly long passphrase', full_name: 'X' };
    expect(await code(t.service.create(asUser(randomUUID(), { globalPermissions: ['users:read'] }), body))).toBe(
      'FORBIDDEN',
    );
    expect(await code(t.service.create(admin(), { ...body, password: 'password' }))).toBe('VALIDATION_FAILED');
    await t.service.create(admin(), body);
    expect(await code(t.service.create(admin(), body))).toBe('EMAIL_TAKEN');
  });

  it('never lets users:manage make anyone an administrator, nor touch a stronger user', async () => {
    const t = setUp();
    const body = { email: 'y@example.test', password: 'a perfectly long passphrase', full_name: 'Y', roles: ['admin'] };
    expect(await code(t.service.create(userManager(), body))).toBe('FORBIDDEN');
    const member = t.existing('member');
    expect(await code(t.service.update(userManager(), member, { roles: ['admin'] }))).toBe('FORBIDDEN');
    t.existing('admin');
    const otherAdmin = t.existing('admin');
    expect(await code(t.service.update(userManager(), otherAdmin, { status: 'disabled' }))).toBe('FORBIDDEN');
    expect(t.held.get(member)).toEqual([ROLES.member]);
  });

  it('ends every session of a user it disables and refuses their older access tokens', async () => {
    const t = setUp();
    t.existing('admin');
    const member = t.existing('member');
    const updated = await t.service.update(admin(), member, { status: 'disabled' });
    expect(updated.status).toBe('disabled');
    expect(t.revoked).toEqual([member]);
    expect(t.users.get(member)!.tokensValidAfter).toEqual(t.clock.now());
    expect(t.outbox.eventsOf(UserChanged)).toEqual([{ user_id: member }]);
    expect(t.outbox.auditActions()).toEqual(['user.disable']);
  });

  it('refuses a change that would leave no active administrator', async () => {
    const t = setUp();
    const only = t.existing('admin');
    expect(await code(t.service.update(admin(), only, { roles: ['member'] }))).toBe('INVALID_STATE');
    expect(await code(t.service.update(admin(), only, { status: 'disabled' }))).toBe('INVALID_STATE');
    expect(t.outbox.events).toEqual([]);
  });

  it('shows a user to themselves and to holders of users:read only', async () => {
    const t = setUp();
    const member = t.existing('member');
    await expect(t.service.get(asUser(member), member)).resolves.toMatchObject({ id: member });
    expect(await code(t.service.get(asUser(randomUUID()), member))).toBe('USER_NOT_FOUND');
    await expect(t.service.get(userManager(), member)).resolves.toMatchObject({ id: member });
  });
});
