import { z } from 'zod';
import { PageQuery, pageOf, Timestamp, Uuid } from '../common.js';
import { defineRpc } from '../rpc.js';
import { Email } from '../identity/auth.contracts.js';

// Tenant members (docs/api.md "Tenants", extension routes).

/** A built-in tenant role name or the id of a custom role defined in identity. */
export const MemberRole = z.union([z.enum(['owner', 'admin', 'member', 'viewer']), Uuid], {
  message: 'owner, admin, member, viewer or a custom role id',
});

export const Member = z.object({
  tenant_id: Uuid,
  user_id: Uuid,
  /** From identity; null if the user no longer exists there. */
  email: z.string().nullable(),
  full_name: z.string().nullable(),
  role: z.string(),
  created_at: Timestamp,
});
export type Member = z.infer<typeof Member>;

/** A member is added by user id or by the email of an existing user: exactly one of the two. */
const MemberAddFields = z.object({ user_id: Uuid.optional(), email: Email.optional(), role: MemberRole });
const oneUser = (b: { user_id?: string; email?: string }) => (b.user_id === undefined) !== (b.email === undefined);
const ONE_USER = { message: 'give either user_id or email', path: ['user_id'] };
export const MemberAddBody = MemberAddFields.strict().refine(oneUser, ONE_USER);
export const MemberUpdateBody = z.object({ role: MemberRole }).strict();
export const MemberParams = z.object({ tenant_id: Uuid, user_id: Uuid }).strict();
export const MemberListQuery = PageQuery.extend({ role: z.string().max(100).optional() }).strict();

export const TenantsMemberList = defineRpc(
  'tenants.member.list',
  MemberListQuery.extend({ tenant_id: Uuid }),
  pageOf(Member),
);
export const TenantsMemberAdd = defineRpc(
  'tenants.member.add',
  MemberAddFields.extend({ tenant_id: Uuid }).refine(oneUser, ONE_USER),
  Member,
);
export const TenantsMemberUpdate = defineRpc(
  'tenants.member.update',
  MemberUpdateBody.extend({ tenant_id: Uuid, user_id: Uuid }),
  Member,
);
export const TenantsMemberRemove = defineRpc('tenants.member.remove', MemberParams, z.object({ ok: z.literal(true) }));
