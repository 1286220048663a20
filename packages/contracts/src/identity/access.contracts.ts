import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';
import { defineEvent } from '../events.js';
import { defineRpc } from '../rpc.js';

// The cross-service part of identity: what the gateway needs to resolve a principal, and the events it
// invalidates its caches on. Identity's own routes live in the other files of this folder.

/** A user's installation-wide standing, as the gateway caches it. */
export const UserAccess = z.object({
  user_id: Uuid,
  status: z.enum(['active', 'disabled']),
  global_roles: z.array(z.string()),
  global_permissions: z.array(z.string()),
  /** Access tokens issued before this instant are refused (password change, disable: SES-8). */
  tokens_valid_after: Timestamp.nullable(),
});
export type UserAccess = z.infer<typeof UserAccess>;
export const IdentityAccessGet = defineRpc('identity.access.get', z.object({ user_id: Uuid }), UserAccess);

/** Custom roles by id (tenant memberships may name one instead of a built-in role). */
export const RolePermissions = z.object({ id: Uuid, name: z.string(), permissions: z.array(z.string()) });
export const IdentityRoleResolve = defineRpc(
  'identity.role.resolve',
  z.object({ role_ids: z.array(Uuid).max(200) }),
  z.object({ roles: z.array(RolePermissions) }),
  { callers: ['gateway', 'tenants'] },
);

/**
 * Public facts about users by id (tenant member lists, notification recipients), or by email (a tenant manager
 * adding a member by address: tenants asks only after checking members:manage).
 */
export const UserSummary = z.object({
  id: Uuid,
  email: z.string(),
  full_name: z.string(),
  status: z.enum(['active', 'disabled']),
});
export type UserSummary = z.infer<typeof UserSummary>;
export const IdentityUserLookup = defineRpc(
  'identity.user.lookup',
  z.object({ user_ids: z.array(Uuid).max(200), emails: z.array(z.string().max(320)).max(200).optional() }),
  z.object({ users: z.array(UserSummary) }),
  { callers: ['tenants', 'notifications'] },
);

/** The active installation administrators (built-in `admin` role): notifications tells them about master-key rotation. */
export const IdentityUserAdministrators = defineRpc(
  'identity.user.administrators',
  z.object({}),
  z.object({ users: z.array(UserSummary) }),
  {
    callers: ['notifications'],
  },
);

/** A user's roles, status or password changed: drop cached access for them. */
export const UserChanged = defineEvent('evt.identity.user.changed', z.object({ user_id: Uuid }));
/** A user was deleted: services remove what they own for that user (vault: personal secrets). */
export const UserDeleted = defineEvent('evt.identity.user.deleted', z.object({ user_id: Uuid }));
/** Sessions revoked (logout, revoke, refresh-token reuse): their access tokens stop working. */
export const SessionsRevoked = defineEvent(
  'evt.identity.session.revoked',
  z.object({ user_id: Uuid, session_ids: z.array(Uuid), revoked_at: Timestamp }),
);
/** An API token was revoked or deleted. */
export const ApiTokenRevoked = defineEvent(
  'evt.identity.api-token.revoked',
  z.object({ token_id: Uuid, user_id: Uuid }),
);
/** A custom role's permissions changed or the role was deleted. */
export const RoleChanged = defineEvent('evt.identity.role.changed', z.object({ role_id: Uuid }));
