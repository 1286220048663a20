import { Injectable } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { likePattern, type KeysetPosition } from '@lockwell/service-kit';
import { TenantEntity, type TenantStatus } from './tenant.entity.js';

/** A tenant as a list shows it, with the viewer's role joined in. */
export interface TenantRow {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  status: TenantStatus;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  /** The viewer's role, null when they are not a member. */
  role: string | null;
}

export interface TenantListFilter {
  /** Whose role is joined in; with `onlyMember` also whose tenants are listed. */
  viewerId: string;
  onlyMember: boolean;
  /** Further restricts the result to these tenants (an API token bound to tenants). */
  tenantIds?: string[];
  status?: TenantStatus;
  q?: string;
  after?: KeysetPosition;
  limit: number;
}

/** The `tenants` table. A tenant is its own scope: every lookup is by its id, except the installation-wide slug check. */
@Injectable()
export class TenantRepository {
  /** The tenant, locked until commit when asked (every write locks it first, so concurrent changes serialise). */
  find(em: EntityManager, tenantId: string, opts: { lock?: boolean } = {}): Promise<TenantEntity | null> {
    return em.findOne(TenantEntity, { id: tenantId }, opts.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  }

  /** Slugs are unique across the installation. */
  async slugTaken(em: EntityManager, slug: string): Promise<boolean> {
    return (await em.count(TenantEntity, { slug })) > 0;
  }

  add(
    em: EntityManager,
    tenant: Pick<TenantEntity, 'id' | 'name' | 'slug' | 'description' | 'createdAt' | 'updatedAt' | 'createdBy'>,
  ): TenantEntity {
    return em.create(TenantEntity, { ...tenant, status: 'active' });
  }

  async delete(em: EntityManager, tenantId: string): Promise<void> {
    await em.nativeDelete(TenantEntity, { id: tenantId });
  }

  /** One keyset page ordered by (created_at, id), `limit + 1` rows (see pageFrom), with the viewer's role joined in. */
  async list(em: EntityManager, f: TenantListFilter): Promise<TenantRow[]> {
    const where: string[] = [];
    const params: unknown[] = [f.viewerId];
    if (f.onlyMember) where.push('m.user_id is not null');
    if (f.tenantIds) {
      if (!f.tenantIds.length) return [];
      where.push('t.id in (?)');
      params.push(f.tenantIds);
    }
    if (f.status) {
      where.push('t.status = ?');
      params.push(f.status);
    }
    if (f.q) {
      where.push(`(t.name ilike ? escape '\\' or t.slug ilike ? escape '\\')`);
      params.push(likePattern(f.q), likePattern(f.q));
    }
    if (f.after) {
      where.push('(t.created_at, t.id) > (?, ?)');
      params.push(f.after.at, f.after.id);
    }
    params.push(f.limit + 1);
    const rows = await em.execute<TenantRow[]>(
      `select t.id, t.name, t.slug, t.description, t.status, t.created_by, t.created_at, t.updated_at, m.role
         from tenants t left join memberships m on m.tenant_id = t.id and m.user_id = ?
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by t.created_at, t.id limit ?`,
      params,
    );
    return rows.map((r) => ({ ...r, created_at: new Date(r.created_at), updated_at: new Date(r.updated_at) }));
  }
}
