import type { Tenant } from '@lockwell/contracts';
import type { TenantEntity } from './tenant.entity.js';

/** The API shape of a tenant for a caller holding `role` in it (an allowlist, never the entity). */
export function tenantView(
  t: Pick<TenantEntity, 'id' | 'name' | 'slug' | 'description' | 'status' | 'createdBy' | 'createdAt' | 'updatedAt'>,
  role: string | null,
): Tenant {
  return {
    id: t.id,
    name: t.name,
    slug: t.slug,
    description: t.description,
    status: t.status,
    role,
    created_by: t.createdBy,
    created_at: new Date(t.createdAt).toISOString(),
    updated_at: new Date(t.updatedAt).toISOString(),
  };
}
