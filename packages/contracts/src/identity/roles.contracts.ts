import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';
import { PermissionName } from '../permissions.js';
import { defineRpc } from '../rpc.js';

// Roles: built-in (admin, member, viewer) and custom roles with permission sets from the catalogue.

export const Role = z.object({
  id: Uuid,
  name: z.string(),
  description: z.string().nullable(),
  permissions: z.array(z.string()),
  built_in: z.boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Role = z.infer<typeof Role>;

export const RoleName = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case letters, digits, and . _ - only');

export const CreateRoleBody = z
  .object({
    name: RoleName,
    description: z.string().trim().max(500).optional(),
    permissions: z.array(PermissionName).max(100),
  })
  .strict();
export const IdentityRoleCreate = defineRpc('identity.role.create', CreateRoleBody, Role);

export const UpdateRoleBody = z
  .object({
    description: z.string().trim().max(500).nullable().optional(),
    permissions: z.array(PermissionName).max(100).optional(),
  })
  .strict();
export const RoleIdParams = z.object({ role_id: Uuid }).strict();
export const IdentityRoleUpdate = defineRpc(
  'identity.role.update',
  RoleIdParams.extend({ changes: UpdateRoleBody }),
  Role,
);
export const IdentityRoleDelete = defineRpc('identity.role.delete', RoleIdParams, z.object({ ok: z.literal(true) }));
export const IdentityRoleList = defineRpc(
  'identity.role.list',
  z.object({}),
  z.object({ items: z.array(Role), next_cursor: z.null() }),
);
export const IdentityRoleGet = defineRpc('identity.role.get', RoleIdParams, Role);
