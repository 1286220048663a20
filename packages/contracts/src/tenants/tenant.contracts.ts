import { z } from 'zod';
import { PageQuery, pageOf, Timestamp, Uuid } from '../common.js';
import { defineRpc } from '../rpc.js';

// Tenant CRUD (docs/api.md "Tenants"). HTTP bodies are `.strict()`: unknown fields are a 400.

/** Lowercase letters, digits and inner hyphens, 1–63 characters (a DNS label, so it fits in URLs and hosts). */
export const TENANT_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const TenantSlug = z
  .string()
  .regex(TENANT_SLUG_PATTERN, { message: 'lowercase letters, digits and inner hyphens, 1-63 characters' });

// Control characters in a display name break logs and UIs; names are trimmed before the length check.
export const TenantName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !/\p{Cc}/u.test(s), { message: 'must not contain control characters' });
export const TenantDescription = z.string().trim().max(1000);
export const TenantStatus = z.enum(['active', 'deleting']);

export const Tenant = z.object({
  id: Uuid,
  name: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  status: TenantStatus,
  /** The caller's role in this tenant; null for an installation admin who is not a member. */
  role: z.string().nullable(),
  created_by: Uuid.nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Tenant = z.infer<typeof Tenant>;

export const TenantCreateBody = z
  .object({ name: TenantName, slug: TenantSlug.optional(), description: TenantDescription.optional() })
  .strict();
export const TenantUpdateBody = z
  .object({
    name: TenantName.optional(),
    slug: TenantSlug.optional(),
    description: TenantDescription.nullable().optional(),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.slug !== undefined || b.description !== undefined, {
    message: 'name, slug or description is required',
  });

/**
 * `scope=mine` lists the tenants the caller belongs to; `scope=all` (the default for installation admins,
 * who hold `tenants:read-all`) lists every tenant. `q` matches name or slug, `status` filters by status.
 */
export const TenantListQuery = PageQuery.extend({
  scope: z.enum(['mine', 'all']).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  status: TenantStatus.optional(),
}).strict();
export const TenantIdParams = z.object({ tenant_id: Uuid }).strict();

export const TenantsTenantCreate = defineRpc('tenants.tenant.create', TenantCreateBody, Tenant);
export const TenantsTenantList = defineRpc('tenants.tenant.list', TenantListQuery, pageOf(Tenant));
export const TenantsTenantGet = defineRpc('tenants.tenant.get', TenantIdParams, Tenant);
export const TenantsTenantUpdate = defineRpc(
  'tenants.tenant.update',
  z.object({ tenant_id: Uuid, changes: TenantUpdateBody }),
  Tenant,
);
/** Starts the deletion saga: the tenant answers with status `deleting`; it is gone once every participant purged. */
export const TenantsTenantDelete = defineRpc('tenants.tenant.delete', TenantIdParams, Tenant);
