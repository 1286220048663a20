import { Inject, Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import {
  ErrorCode,
  MembershipChanged,
  type CallContext,
  type Page,
  type Tenant,
  type TenantCreateBody,
  type TenantListQuery,
  type TenantUpdateBody,
} from '@lockwell/contracts';
import {
  CLOCK,
  decodeCursor,
  hasGlobalPermission,
  LockwellError,
  pageFrom,
  Outbox,
  requirePrincipal,
  type Clock,
} from '@lockwell/service-kit';
import type { z } from 'zod';
import { MembershipBroadcast } from '../membership/membership-broadcast.service.js';
import { MembershipRepository } from '../membership/membership.repository.js';
import { assertWritable, TenantAccess } from './tenant-access.service.js';
import { TenantRepository } from './tenant.repository.js';
import { slugCandidate, slugify } from './slug.js';
import { tenantView } from './tenant.view.js';

// Past this many numbered attempts a generated slug gets a random suffix instead.
const MAX_SLUG_ATTEMPTS = 20;

/**
 * Tenants: create, list, read, update (deleting one is the deletion saga's, deletion/). Every write locks the
 * tenant row, checks the caller's membership and commits with its events.
 */
@Injectable()
export class TenantService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenants: TenantRepository,
    private readonly memberships: MembershipRepository,
    private readonly access: TenantAccess,
    private readonly outbox: Outbox,
    private readonly broadcast: MembershipBroadcast,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The creator becomes the tenant's first owner. */
  async create(ctx: CallContext, body: z.output<typeof TenantCreateBody>): Promise<Tenant> {
    const principal = requirePrincipal(ctx);
    const { tenant, eventId } = await withSlugConflicts(() =>
      this.em.transactional(async (em) => {
        const now = this.clock.now();
        const slug = body.slug ?? (await this.freeSlug(em, slugify(body.name)));
        if (body.slug && (await this.tenants.slugTaken(em, slug))) throw slugTaken();
        const tenant = this.tenants.add(em, {
          id: randomUUID(),
          name: body.name,
          slug,
          description: body.description || null,
          createdAt: now,
          updatedAt: now,
          createdBy: principal.userId,
        });
        this.memberships.add(em, tenant.id, {
          id: randomUUID(),
          userId: principal.userId,
          role: 'owner',
          createdAt: now,
          updatedAt: now,
        });
        const { id: eventId } = this.outbox.emit(
          em,
          MembershipChanged,
          {
            tenant_id: tenant.id,
            tenant_name: tenant.name,
            user_id: principal.userId,
            role: 'owner',
            previous_role: null,
            changed_by: principal.userId,
          },
          tenant.id,
        );
        this.outbox.audit(em, ctx, {
          action: 'tenant.create',
          resourceType: 'tenant',
          resourceId: tenant.id,
          tenantId: tenant.id,
          detail: { slug },
        });
        await em.flush();
        return { tenant: tenantView(tenant, 'owner'), eventId };
      }),
    );
    // The creator's cached principal must know the new tenant before their next request (e.g. a first secret).
    await this.broadcast.published([eventId]);
    return tenant;
  }

  /** Members see their tenants; holders of `tenants:read-all` see every tenant (scope=all, their default). */
  async list(ctx: CallContext, query: z.output<typeof TenantListQuery>): Promise<Page<Tenant>> {
    const principal = requirePrincipal(ctx);
    const readAll = hasGlobalPermission(principal, 'tenants:read-all');
    const scope = query.scope ?? (readAll ? 'all' : 'mine');
    if (scope === 'all' && !readAll)
      throw new LockwellError(ErrorCode.FORBIDDEN, 'Listing all tenants needs the tenants:read-all permission');
    const rows = await this.tenants.list(this.em, {
      viewerId: principal.userId,
      onlyMember: scope === 'mine',
      // An API token sees only the tenants its grant covers.
      tenantIds:
        scope === 'mine' && principal.kind === 'api_token' ? principal.memberships.map((m) => m.tenantId) : undefined,
      status: query.status,
      q: query.q,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit,
    });
    const page = pageFrom(rows, query.limit, (r) => ({ at: r.created_at, id: r.id }));
    return {
      items: page.rows.map((r) =>
        tenantView({ ...r, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at }, r.role),
      ),
      next_cursor: page.next_cursor,
    };
  }

  async get(ctx: CallContext, tenantId: string): Promise<Tenant> {
    const access = await this.access.require(this.em, ctx, tenantId, 'tenant:read');
    return tenantView(access.tenant, access.role);
  }

  async update(ctx: CallContext, tenantId: string, changes: z.output<typeof TenantUpdateBody>): Promise<Tenant> {
    return withSlugConflicts(() =>
      this.em.transactional(async (em) => {
        const { tenant, role } = await this.access.require(em, ctx, tenantId, 'tenant:update', { lock: true });
        assertWritable(tenant);
        if (
          changes.slug !== undefined &&
          changes.slug !== tenant.slug &&
          (await this.tenants.slugTaken(em, changes.slug))
        )
          throw slugTaken();
        const fields = Object.keys(changes).filter((k) => changes[k as keyof typeof changes] !== undefined);
        if (changes.name !== undefined) tenant.name = changes.name;
        if (changes.slug !== undefined) tenant.slug = changes.slug;
        if (changes.description !== undefined) tenant.description = changes.description || null;
        tenant.updatedAt = this.clock.now();
        this.outbox.audit(em, ctx, {
          action: 'tenant.update',
          resourceType: 'tenant',
          resourceId: tenant.id,
          tenantId: tenant.id,
          detail: { fields },
        });
        await em.flush();
        return tenantView(tenant, role);
      }),
    );
  }

  private async freeSlug(em: EntityManager, base: string): Promise<string> {
    for (let attempt = 1; attempt <= MAX_SLUG_ATTEMPTS; attempt++) {
      const candidate = slugCandidate(base, attempt);
      if (!(await this.tenants.slugTaken(em, candidate))) return candidate;
    }
    return slugCandidate(base, 1).slice(0, 54) + '-' + randomUUID().slice(0, 8);
  }
}

const slugTaken = () =>
  new LockwellError(ErrorCode.SLUG_TAKEN, 'A tenant with this slug already exists', [
    { field: 'slug', issue: 'already taken' },
  ]);

// Two requests racing for one slug both pass the pre-check; the unique index decides, and the loser gets 409.
async function withSlugConflicts<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw slugTaken();
    throw err;
  }
}
