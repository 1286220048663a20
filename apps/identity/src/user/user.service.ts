import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ApiTokenRevoked, ErrorCode, TenantsMembershipSoleOwner, UserChanged, UserDeleted, type CallContext, type Page, type User } from '@lockwell/contracts';
import { assertGlobalPermission, CLOCK, decodeCursor, encodeCursor, hasGlobalPermission, LockwellError, Outbox, requirePrincipal, RpcClient, type Clock } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { PASSWORD_HASHER, type PasswordHasher } from '../password/password-hasher.js';
import { assertPasswordAcceptable } from '../password/password-policy.js';
import { RoleService } from '../role/role.service.js';
import { globalPermissionsOf } from '../role/role-permissions.js';
import { assertHoldsGlobal } from '../role/grant-policy.js';
import { SessionRevoker } from '../session/session-revoker.js';
import { LoginThrottleService } from '../throttle/login-throttle.service.js';
import { UserEntity } from './user.entity.js';
import { UserRoleRepository } from './user.repository.js';
import { toUserView } from './user.view.js';

type CreateUser = { email: string; password: string; full_name: string; roles?: string[] };
type UpdateUser = { full_name?: string; roles?: string[]; status?: 'active' | 'disabled' };
type ListUsers = { limit: number; cursor?: string; email?: string; status?: 'active' | 'disabled' };

const notFound = () => new LockwellError(ErrorCode.USER_NOT_FOUND, 'User not found');

/** Users: create, list, read, update (roles, status), password change. Authorises every call itself. */
@Injectable()
export class UserService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: Outbox,
    private readonly roles: RoleService,
    private readonly userRoles: UserRoleRepository,
    private readonly revoker: SessionRevoker,
    private readonly throttle: LoginThrottleService,
    private readonly rpc: RpcClient,
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
      if (await tx.count(UserEntity, { email: body.email })) throw new LockwellError(ErrorCode.EMAIL_TAKEN, 'A user with this email already exists');
      const now = this.clock.now();
      const user = tx.create(UserEntity, { id: randomUUID(), email: body.email, fullName: body.full_name, passwordHash, createdAt: now, updatedAt: now });
      tx.persist(user);
      await tx.flush();
      await this.userRoles.setRoles(tx, user.id, roles.map((r) => r.id));
      this.outbox.audit(tx, ctx, { action: 'user.create', resourceType: 'user', resourceId: user.id, tenantId: null, detail: { roles: roles.map((r) => r.name) } });
      return toUserView(user, roles);
    });
  }

  async list(ctx: CallContext, query: ListUsers): Promise<Page<User>> {
    assertGlobalPermission(ctx, 'users:read');
    const where: Record<string, unknown> = {};
    if (query.email) where.email = query.email.trim().toLowerCase();
    if (query.status) where.status = query.status;
    if (query.cursor) {
      const c = decodeCursor(query.cursor);
      where.$or = [{ createdAt: { $gt: c.at } }, { createdAt: c.at, id: { $gt: c.id } }];
    }
    const users = await this.em.find(UserEntity, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: query.limit + 1 });
    const page = users.slice(0, query.limit);
    const roles = await this.userRoles.rolesOf(this.em, page.map((u) => u.id));
    const last = page[page.length - 1];
    return {
      items: page.map((u) => toUserView(u, roles.get(u.id)!)),
      next_cursor: users.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  /** A user by id: admins see anyone, everybody else only themselves (others are not found). */
  async get(ctx: CallContext, userId: string): Promise<User> {
    const principal = requirePrincipal(ctx);
    if (principal.userId !== userId && !hasGlobalPermission(principal, 'users:read')) throw notFound();
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
      const user = await tx.findOne(UserEntity, { id: userId });
      if (!user) throw notFound();
      assertHoldsGlobal(principal, globalPermissionsOf((await this.userRoles.rolesOf(tx, [user.id])).get(user.id)!), 'change this user');
      const now = this.clock.now();
      const detail: Record<string, unknown> = {};
      if (changes.full_name !== undefined) user.fullName = changes.full_name;
      if (changes.roles) {
        const roles = await this.roles.resolveReferences(tx, changes.roles, 'roles');
        assertHoldsGlobal(principal, globalPermissionsOf(roles), 'give these roles');
        await this.userRoles.setRoles(tx, user.id, roles.map((r) => r.id));
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
      if ((changes.roles || changes.status) && (await this.userRoles.countActiveAdmins(tx)) === 0) {
        throw new LockwellError(ErrorCode.INVALID_STATE, 'This change would leave no active administrator');
      }
      this.outbox.emit(tx, UserChanged, { user_id: user.id });
      this.outbox.audit(tx, ctx, { action: changes.status === 'disabled' ? 'user.disable' : 'user.update', resourceType: 'user', resourceId: user.id, tenantId: null, detail });
      return this.view(tx, user.id);
    });
  }

  /**
   * Admin: deletes a user for good. In one transaction their sessions are revoked (SessionsRevoked), their API
   * tokens revoked (ApiTokenRevoked), the user row and everything hanging off it (roles, sessions, refresh
   * tokens, API tokens) deleted, and UserChanged + UserDeleted queued: gateways drop the user at once and the
   * other services remove what the user owned (the vault crypto-shreds their personal secrets, tenants removes
   * their memberships). Nobody deletes themselves or a stronger user; the last active administrator stays, and
   * so does the only owner of a tenant (LAST_OWNER, docs/tenants.md "Deleting a user").
   */
  async delete(ctx: CallContext, userId: string): Promise<void> {
    const principal = assertGlobalPermission(ctx, 'users:manage');
    if (principal.userId === userId) throw new LockwellError(ErrorCode.INVALID_STATE, 'You cannot delete your own account');
    await this.em.transactional(async (tx) => {
      const user = await tx.findOne(UserEntity, { id: userId });
      if (!user) throw notFound();
      // No acting on a stronger user: deleting the administrator needs every permission they hold.
      assertHoldsGlobal(principal, globalPermissionsOf((await this.userRoles.rolesOf(tx, [user.id])).get(user.id)!), 'delete this user');
      if ((await this.userRoles.countActiveAdmins(tx, userId)) === 0) {
        throw new LockwellError(ErrorCode.INVALID_STATE, 'This change would leave no active administrator');
      }
      // Tenants removes a deleted user's memberships (UserDeleted): it must not leave a tenant without an owner.
      const { tenant_ids } = await this.rpc.request(TenantsMembershipSoleOwner, { user_id: userId }, ctx);
      if (tenant_ids.length) {
        throw new LockwellError(
          ErrorCode.LAST_OWNER,
          `This user is the only owner of ${tenant_ids.length} tenant(s): make someone else an owner there, or delete those tenants, first`,
          tenant_ids.slice(0, 20).map((id) => ({ field: 'tenant_ids', issue: `only owner of tenant ${id}` })),
        );
      }
      const sessions = await this.revoker.revoke(tx, userId, 'user_deleted', {});
      // Raw SQL rather than the api-token entity: the user folder stays out of api-token's way (no folder cycle).
      const tokens = await tx.execute<{ id: string }[]>(`select id from api_tokens where user_id = ? and revoked_at is null`, [userId]);
      for (const token of tokens) this.outbox.emit(tx, ApiTokenRevoked, { token_id: token.id, user_id: userId });
      await tx.nativeDelete(UserEntity, { id: userId });
      this.outbox.emit(tx, UserChanged, { user_id: userId });
      this.outbox.emit(tx, UserDeleted, { user_id: userId });
      this.outbox.audit(tx, ctx, { action: 'user.delete', resourceType: 'user', resourceId: userId, tenantId: null, detail: { revoked_sessions: sessions.length, revoked_api_tokens: tokens.length } });
    });
  }

  /**
   * The caller changes their own password: the current one is required (each try counts towards the login
   * throttle before it is checked), the new one must pass the policy, and every other session of theirs ends.
   */
  async changePassword(ctx: CallContext, body: { current_password: string; new_password: string }): Promise<number> {
    const principal = requirePrincipal(ctx);
    if (principal.kind !== 'user') throw new LockwellError(ErrorCode.FORBIDDEN, 'API tokens cannot change passwords');
    const user = await this.em.findOne(UserEntity, { id: principal.userId }, { populate: ['passwordHash'] });
    if (!user) throw notFound();
    const subject = { account: user.email, ip: ctx.ip };
    const reservation = await this.throttle.reserve(this.em, subject);
    if (!(await this.hasher.verify(user.passwordHash, body.current_password))) {
      await this.em.transactional(async (tx) => {
        this.outbox.audit(tx, ctx, { action: 'user.password_change', resourceType: 'user', resourceId: user.id, tenantId: null, outcome: 'failure', detail: { reason: 'wrong_current_password' } });
      });
      throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [{ field: 'current_password', issue: 'is not correct' }]);
    }
    // The right current password settles the attempt, whatever becomes of the new one.
    await this.throttle.succeeded(this.em, subject, reservation);
    assertPasswordAcceptable(body.new_password, 'new_password', { email: user.email });
    const passwordHash = await this.hasher.hash(body.new_password);
    return this.em.transactional(async (tx) => {
      const fresh = await tx.findOneOrFail(UserEntity, { id: user.id });
      fresh.passwordHash = passwordHash;
      fresh.updatedAt = this.clock.now();
      const revoked = await this.revoker.revoke(tx, user.id, 'password_changed', { exceptSessionId: principal.sessionId });
      this.outbox.emit(tx, UserChanged, { user_id: user.id });
      this.outbox.audit(tx, ctx, { action: 'user.password_change', resourceType: 'user', resourceId: user.id, tenantId: null, detail: { revoked_sessions: revoked.length } });
      return revoked.length;
    });
  }

  async view(em: EntityManager, userId: string): Promise<User> {
    const user = await em.findOne(UserEntity, { id: userId });
    if (!user) throw notFound();
    const roles = await this.userRoles.rolesOf(em, [user.id]);
    return toUserView(user, roles.get(user.id)!);
  }
}
