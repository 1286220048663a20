import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import {
  ErrorCode,
  IdentityUserLookup,
  MembershipChanged,
  type CallContext,
  type Member,
  type Page,
  type RpcRequestParsed,
  type TenantsMemberList,
  type UserSummary,
} from '@lockwell/contracts';
import { CLOCK, decodeCursor, LockwellError, Outbox, pageFrom, RpcClient, type Clock } from '@lockwell/service-kit';
import type { MembershipEntity } from '../membership/membership.entity.js';
import { MembershipBroadcast } from '../membership/membership-broadcast.service.js';
import { MembershipRepository } from '../membership/membership.repository.js';
import { RoleCatalog } from '../role/role-catalog.service.js';
import { assertPermits, assertWritable, TenantAccess, type CallerAccess } from '../tenant/tenant-access.service.js';
import { assertKeepsAnOwner, assertMayAssign } from './member-policy.js';

/**
 * Members of a tenant. Writes lock the tenant row first, so concurrent changes (two owners demoting each
 * other, a removal racing the deletion saga) serialise and the last-owner rule cannot be raced.
 */
@Injectable()
export class MemberService {
  constructor(
    private readonly em: EntityManager,
    private readonly memberships: MembershipRepository,
    private readonly access: TenantAccess,
    private readonly roles: RoleCatalog,
    private readonly rpc: RpcClient,
    private readonly outbox: Outbox,
    private readonly broadcast: MembershipBroadcast,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(ctx: CallContext, q: RpcRequestParsed<typeof TenantsMemberList>): Promise<Page<Member>> {
    await this.access.require(this.em, ctx, q.tenant_id, 'members:read');
    const rows = await this.memberships.list(this.em, q.tenant_id, {
      role: q.role,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit,
    });
    const page = pageFrom(rows, q.limit, (m) => ({ at: m.createdAt, id: m.userId }));
    const users = await this.lookupUsers(
      ctx,
      page.rows.map((m) => m.userId),
    );
    return { items: page.rows.map((m) => memberView(m, users.get(m.userId))), next_cursor: page.next_cursor };
  }

  /** Adds an existing user, named by id or by email (looked up only once the caller may manage members). */
  async add(
    ctx: CallContext,
    tenantId: string,
    who: { userId: string } | { email: string },
    role: string,
  ): Promise<Member> {
    const { member, eventId } = await this.em.transactional(async (em) => {
      const caller = await this.access.require(em, ctx, tenantId, 'members:manage', { lock: true });
      assertWritable(caller.tenant);
      await this.assertMayGrant(ctx, caller, role);
      const user = await this.findUser(ctx, who);
      if (!user)
        throw new LockwellError(
          ErrorCode.USER_NOT_FOUND,
          'No user with this id or email: they must have a Lockwell account first',
        );
      const userId = user.id;
      if (await this.memberships.find(em, tenantId, userId))
        throw new LockwellError(ErrorCode.ALREADY_MEMBER, 'The user is already a member of this tenant');
      const now = this.clock.now();
      const membership = this.memberships.add(em, tenantId, {
        id: randomUUID(),
        userId,
        role,
        createdAt: now,
        updatedAt: now,
      });
      const eventId = this.changed(em, ctx, caller, membership.userId, role, null);
      this.outbox.audit(em, ctx, {
        action: 'member.add',
        resourceType: 'membership',
        resourceId: userId,
        tenantId,
        detail: { role },
      });
      await em.flush();
      return { member: memberView(membership, user), eventId };
    });
    await this.broadcast.published([eventId]);
    return member;
  }

  async changeRole(ctx: CallContext, tenantId: string, userId: string, role: string): Promise<Member> {
    const { membership, eventIds } = await this.em.transactional(async (em) => {
      const caller = await this.access.require(em, ctx, tenantId, 'members:manage', { lock: true });
      assertWritable(caller.tenant);
      const target = await this.findMember(em, tenantId, userId);
      if (target.role === role) return { membership: target, eventIds: [] };
      await this.assertMayRevoke(ctx, caller, target.role);
      await this.assertMayGrant(ctx, caller, role);
      assertKeepsAnOwner(target.role, role, await this.memberships.countOwners(em, tenantId));
      const previous = target.role;
      target.role = role;
      target.updatedAt = this.clock.now();
      const eventId = this.changed(em, ctx, caller, userId, role, previous);
      this.outbox.audit(em, ctx, {
        action: 'member.update',
        resourceType: 'membership',
        resourceId: userId,
        tenantId,
        detail: { role, previous_role: previous },
      });
      await em.flush();
      return { membership: target, eventIds: [eventId] };
    });
    await this.broadcast.published(eventIds);
    return memberView(membership, (await this.lookupUsers(ctx, [userId])).get(userId));
  }

  /**
   * Managers remove others; any member may leave (the last owner excepted). Leaving takes the member's own
   * session: their API token removing them is management and needs members:manage like any other removal.
   */
  async remove(ctx: CallContext, tenantId: string, userId: string): Promise<void> {
    const eventId = await this.em.transactional(async (em) => {
      const caller = await this.access.resolve(em, ctx, tenantId, { lock: true });
      const leaving = caller.role !== null && caller.userId === userId && !caller.viaToken;
      if (!leaving) assertPermits(caller, 'members:manage');
      assertWritable(caller.tenant);
      const target = await this.findMember(em, tenantId, userId);
      if (!leaving) await this.assertMayRevoke(ctx, caller, target.role);
      assertKeepsAnOwner(target.role, null, await this.memberships.countOwners(em, tenantId));
      this.memberships.remove(em, target);
      const id = this.changed(em, ctx, caller, userId, null, target.role);
      this.outbox.audit(em, ctx, {
        action: 'member.remove',
        resourceType: 'membership',
        resourceId: userId,
        tenantId,
        detail: { previous_role: target.role, left: leaving },
      });
      await em.flush();
      return id;
    });
    await this.broadcast.published([eventId]);
  }

  private async findMember(em: EntityManager, tenantId: string, userId: string): Promise<MembershipEntity> {
    const m = await this.memberships.find(em, tenantId, userId);
    if (!m) throw new LockwellError(ErrorCode.MEMBER_NOT_FOUND, 'Member not found');
    return m;
  }

  /** The new role must exist, and the caller must be allowed to hand it out. */
  private async assertMayGrant(ctx: CallContext, caller: CallerAccess, role: string): Promise<void> {
    const permissions = await this.roles.permissionsOfRole(ctx, role);
    if (!permissions)
      throw new LockwellError(ErrorCode.ROLE_NOT_FOUND, 'Role not found', [{ field: 'role', issue: 'no such role' }]);
    assertMayAssign(caller, role, permissions);
  }

  /** Taking a role away needs the same standing as granting it; a deleted custom role grants nothing. */
  private async assertMayRevoke(ctx: CallContext, caller: CallerAccess, role: string): Promise<void> {
    assertMayAssign(caller, role, (await this.roles.permissionsOfRole(ctx, role)) ?? []);
  }

  /** Queues MembershipChanged; returns its event id. */
  private changed(
    em: EntityManager,
    ctx: CallContext,
    caller: CallerAccess,
    userId: string,
    role: string | null,
    previous: string | null,
  ): string {
    return this.outbox.emit(
      em,
      MembershipChanged,
      {
        tenant_id: caller.tenant.id,
        tenant_name: caller.tenant.name,
        user_id: userId,
        role,
        previous_role: previous,
        changed_by: ctx.principal?.userId ?? null,
      },
      caller.tenant.id,
    ).id;
  }

  private async findUser(
    ctx: CallContext,
    who: { userId: string } | { email: string },
  ): Promise<UserSummary | undefined> {
    if ('userId' in who) return (await this.lookupUsers(ctx, [who.userId])).get(who.userId);
    const { users } = await this.rpc.request(IdentityUserLookup, { user_ids: [], emails: [who.email] }, ctx);
    return users[0];
  }

  private async lookupUsers(ctx: CallContext, ids: string[]): Promise<Map<string, UserSummary>> {
    if (!ids.length) return new Map();
    const { users } = await this.rpc.request(IdentityUserLookup, { user_ids: ids }, ctx);
    return new Map(users.map((u) => [u.id, u]));
  }
}

function memberView(m: MembershipEntity, user: UserSummary | undefined): Member {
  return {
    tenant_id: m.tenantId,
    user_id: m.userId,
    email: user?.email ?? null,
    full_name: user?.full_name ?? null,
    role: m.role,
    created_at: m.createdAt.toISOString(),
  };
}
