import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, UserChanged, type CallContext, type Page, type User } from '@lockwell/contracts';
import {
  assertGlobalPermission,
  CLOCK,
  decodeCursor,
  hasGlobalPermission,
  LockwellError,
  Outbox,
  pageFrom,
  requirePrincipal,
  type Clock,
} from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { PASSWORD_HASHER, type PasswordHasher } from '../password/password-hasher.js';
import { assertPasswordAcceptable } from '../password/password-policy.js';
import { assertHoldsGlobal } from '../role/grant-policy.js';
import { globalPermissionsOf } from '../role/role-permissions.js';
import { RoleService } from '../role/role.service.js';
import { SessionRevoker } from '../session/session-revoker.js';
import { UserRepository } from './user.repository.js';
import { toUserView } from './user.view.js';

type CreateUser = { email: string; password: string; full_name: string; roles?: string[] };
type UpdateUser = { full_name?: string; roles?: string[]; status?: 'active' | 'disabled' };
type ListUsers = { limit: number; cursor?: string; email?: string; status?: 'active' | 'disabled' };

export const userNotFound = () => new LockwellError(ErrorCode.USER_NOT_FOUND, 'User not found');
export const noAdministratorLeft = () =>
  new LockwellError(ErrorCode.INVALID_STATE, 'This change would leave no active administrator');

/**
 * Users: create, list, read, update (roles, status), end every session of one. Authorises every call itself: an
 * administrator never acts on a stronger user nor hands out more than it holds (docs/security.md "No escalation").
 */
@Injectable()
export class UserService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UserRepository,
    private readonly roles: RoleService,
    private readonly revoker: SessionRevoker,
    private readonly outbox: Outbox,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(ctx: CallContext, body: CreateUser): Promise<User> {
    const principal = assertGlobalPermission(ctx, 'users:manage');
    assertPasswordAcceptable(body.password, 'password', { email: body.email });
    const passwordHash = await this.hasher.hash(body.password);
    return this.em.transactional(async (tx) => {
      const roles = await this.roles.resolveReferences(tx, body.roles?.length ? body.roles : ['member'], 'roles');
      assertHoldsGlobal(principal, globalPermissionsOf(roles), 'give these roles');
      if (await this.users.emailTaken(tx, body.email))
        throw new LockwellError(ErrorCode.EMAIL_TAKEN, 'A user with this email already exists');
      const now = this.clock.now();
      const user = this.users.add(tx, {
        id: randomUUID(),
        email: body.email,
        fullName: body.full_name,
        passwordHash,
        createdAt: now,
        updatedAt: now,
      });
      await tx.flush();
      await this.roles.assign(
        tx,
        user.id,
        roles.map((r) => r.id),
      );
      this.outbox.audit(tx, ctx, {
        action: 'user.create',
        resourceType: 'user',
        resourceId: user.id,
        tenantId: null,
        detail: { roles: roles.map((r) => r.name) },
      });
      return toUserView(user, roles);
    });
  }

  async list(ctx: CallContext, query: ListUsers): Promise<Page<User>> {
    assertGlobalPermission(ctx, 'users:read');
    const rows = await this.users.list(this.em, {
      email: query.email?.trim().toLowerCase(),
      status: query.status,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit,
    });
    const page = pageFrom(rows, query.limit, (u) => ({ at: u.createdAt, id: u.id }));
    const roles = await this.roles.rolesOf(
      this.em,
      page.rows.map((u) => u.id),
    );
    return { items: page.rows.map((u) => toUserView(u, roles.get(u.id)!)), next_cursor: page.next_cursor };
  }

  /** A user by id: admins see anyone, everybody else only themselves (others are not found). */
  async get(ctx: CallContext, userId: string): Promise<User> {
    const principal = requirePrincipal(ctx);
    if (principal.userId !== userId && !hasGlobalPermission(principal, 'users:read')) throw userNotFound();
    return this.view(this.em, userId);
  }

  async me(ctx: CallContext): Promise<User> {
    return this.view(this.em, requirePrincipal(ctx).userId);
  }

  /**
   * Admin changes; disabling ends every session at once and refuses older access tokens (SES-8). The caller
   * must hold every global permission the user has now (no acting on a stronger user: disabling or demoting
   * the administrator) and every one the new roles grant (no making anyone, oneself included, an admin).
   */
  async update(ctx: CallContext, userId: string, changes: UpdateUser): Promise<User> {
    const principal = assertGlobalPermission(ctx, 'users:manage');
    return this.em.transactional(async (tx) => {
      const user = await this.users.find(tx, userId);
      if (!user) throw userNotFound();
      assertHoldsGlobal(
        principal,
        globalPermissionsOf((await this.roles.rolesOf(tx, [user.id])).get(user.id)!),
        'change this user',
      );
      const now = this.clock.now();
      const detail: Record<string, unknown> = {};
      if (changes.full_name !== undefined) user.fullName = changes.full_name;
      if (changes.roles) {
        const roles = await this.roles.resolveReferences(tx, changes.roles, 'roles');
        assertHoldsGlobal(principal, globalPermissionsOf(roles), 'give these roles');
        await this.roles.assign(
          tx,
          user.id,
          roles.map((r) => r.id),
        );
        detail.roles = roles.map((r) => r.name);
      }
      if (changes.status && changes.status !== user.status) {
        user.status = changes.status;
        detail.status = changes.status;
        if (changes.status === 'disabled') {
          user.tokensValidAfter = now;
          await this.revoker.revoke(tx, user.id, 'user_disabled', {});
        }
      }
      user.updatedAt = now;
      await tx.flush();
      // Never leave the installation without an active administrator.
      if ((changes.roles || changes.status) && (await this.users.countActiveAdmins(tx)) === 0)
        throw noAdministratorLeft();
      this.outbox.emit(tx, UserChanged, { user_id: user.id });
      this.outbox.audit(tx, ctx, {
        action: changes.status === 'disabled' ? 'user.disable' : 'user.update',
        resourceType: 'user',
        resourceId: user.id,
        tenantId: null,
        detail,
      });
      return this.view(tx, user.id);
    });
  }

  /** Administrator: end every session of a user. */
  async revokeSessions(ctx: CallContext, userId: string): Promise<number> {
    assertGlobalPermission(ctx, 'users:manage');
    return this.em.transactional(async (tx) => {
      if (!(await this.users.exists(tx, userId))) throw userNotFound();
      const revoked = await this.revoker.revoke(tx, userId, 'revoked_by_admin', {});
      this.outbox.audit(tx, ctx, {
        action: 'session.revoke_all',
        resourceType: 'user',
        resourceId: userId,
        tenantId: null,
        detail: { revoked_sessions: revoked.length },
      });
      return revoked.length;
    });
  }

  async view(em: EntityManager, userId: string): Promise<User> {
    const user = await this.users.find(em, userId);
    if (!user) throw userNotFound();
    const roles = await this.roles.rolesOf(em, [user.id]);
    return toUserView(user, roles.get(user.id)!);
  }
}
