import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';
import { PermissionName } from '../permissions.js';
import { defineRpc } from '../rpc.js';
import { User } from './users.contracts.js';

// Profile, active sessions and machine API tokens.

export const Profile = z.object({
  user: User,
  kind: z.enum(['user', 'api_token']),
  global_roles: z.array(z.string()),
  global_permissions: z.array(z.string()),
  memberships: z.array(z.object({ tenant_id: Uuid, role: z.string(), permissions: z.array(z.string()) })),
});
export const IdentityProfileGet = defineRpc('identity.profile.get', z.object({}), Profile);

export const Session = z.object({
  id: Uuid,
  created_at: Timestamp,
  last_used_at: Timestamp,
  expires_at: Timestamp,
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  current: z.boolean(),
});
export const IdentitySessionList = defineRpc(
  'identity.session.list',
  z.object({}),
  z.object({ items: z.array(Session), next_cursor: z.null() }),
);
export const SessionIdParams = z.object({ session_id: Uuid }).strict();
export const IdentitySessionRevoke = defineRpc(
  'identity.session.revoke',
  SessionIdParams,
  z.object({ ok: z.literal(true) }),
);
/** Admin: end every session of a user (SES-9). */
export const IdentitySessionRevokeAll = defineRpc(
  'identity.session.revoke-all',
  z.object({ user_id: Uuid }).strict(),
  z.object({ revoked_sessions: z.number().int() }),
);

/** An API token's metadata: the value is never shown again after creation, the hash never. */
export const ApiToken = z.object({
  id: Uuid,
  name: z.string(),
  prefix: z.string(),
  tenant_id: Uuid.nullable(),
  permissions: z.array(z.string()),
  expires_at: Timestamp,
  created_at: Timestamp,
  last_used_at: Timestamp.nullable(),
  revoked_at: Timestamp.nullable(),
});
export const CreatedApiToken = ApiToken.extend({ token: z.string() });

export const CreateApiTokenBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    tenant_id: Uuid.optional(),
    permissions: z.array(PermissionName).min(1).max(100),
    expires_at: Timestamp.optional(),
  })
  .strict();
export const IdentityApiTokenCreate = defineRpc('identity.api-token.create', CreateApiTokenBody, CreatedApiToken);
export const IdentityApiTokenList = defineRpc(
  'identity.api-token.list',
  z.object({}),
  z.object({ items: z.array(ApiToken), next_cursor: z.null() }),
);
export const TokenIdParams = z.object({ token_id: Uuid }).strict();
export const IdentityApiTokenGet = defineRpc('identity.api-token.get', TokenIdParams, ApiToken);
export const IdentityApiTokenRevoke = defineRpc(
  'identity.api-token.revoke',
  TokenIdParams,
  z.object({ ok: z.literal(true) }),
);
