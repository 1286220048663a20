import { z } from 'zod';
import { pageOf, PageQuery, Timestamp, Uuid } from '../common.js';
import { defineRpc } from '../rpc.js';
import { Email, MAX_PASSWORD_LENGTH } from './auth.contracts.js';

// Users (docs/api.md "Users, roles, profile, tokens").

export const RoleRef = z.object({ id: Uuid, name: z.string() });

/** A user as every response shows it: never a password hash. */
export const User = z.object({
  id: Uuid,
  email: z.string(),
  full_name: z.string(),
  status: z.enum(['active', 'disabled']),
  roles: z.array(RoleRef),
  created_at: Timestamp,
  updated_at: Timestamp,
  last_login_at: Timestamp.nullable(),
});
export type User = z.infer<typeof User>;

/** A role reference in a request: a role id, or the name of a role (`admin`, `member`, `viewer`, custom). */
export const RoleReference = z.string().min(1).max(100);
export const FullName = z.string().trim().min(1).max(200);

export const CreateUserBody = z
  .object({
    email: Email,
    password: z.string().max(MAX_PASSWORD_LENGTH),
    full_name: FullName,
    roles: z.array(RoleReference).max(20).optional(),
  })
  .strict();
export const IdentityUserCreate = defineRpc('identity.user.create', CreateUserBody, User);

export const UserListQuery = PageQuery.extend({
  email: z.string().max(320).optional(),
  status: z.enum(['active', 'disabled']).optional(),
}).strict();
export const IdentityUserList = defineRpc('identity.user.list', UserListQuery, pageOf(User));

export const UserIdParams = z.object({ user_id: Uuid }).strict();
export const IdentityUserGet = defineRpc('identity.user.get', UserIdParams, User);
export const IdentityUserMe = defineRpc('identity.user.me', z.object({}), User);

/** Admin: rename, re-role, disable or re-enable a user (extension). Disabling revokes every session. */
export const UpdateUserBody = z
  .object({
    full_name: FullName.optional(),
    roles: z.array(RoleReference).max(20).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .strict();
export const IdentityUserUpdate = defineRpc(
  'identity.user.update',
  UserIdParams.extend({ changes: UpdateUserBody }),
  User,
);

/**
 * Admin: delete a user for good (extension). Their sessions and API tokens end at once, and UserDeleted tells
 * the other services to remove what the user owned (the vault crypto-shreds their personal secrets).
 */
export const IdentityUserDelete = defineRpc(
  'identity.user.delete',
  UserIdParams,
  z.object({ deleted: z.literal(true) }),
);

/** The caller changes their password (extension): the current one is required; other sessions end. */
export const ChangePasswordBody = z
  .object({ current_password: z.string().max(MAX_PASSWORD_LENGTH), new_password: z.string().max(MAX_PASSWORD_LENGTH) })
  .strict();
export const IdentityPasswordChange = defineRpc(
  'identity.password.change',
  ChangePasswordBody,
  z.object({ revoked_sessions: z.number().int() }),
);
