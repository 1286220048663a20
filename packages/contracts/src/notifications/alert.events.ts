import { z } from 'zod';
import { Uuid } from '../common.js';
import { defineEvent } from '../events.js';

// Facts other services publish only so that people hear about them (sensitive-operation alerts). Each is
// emitted in the same transaction as the change, next to its audit record.

/** A password was changed (PW-5): the user themself is told, by email whatever their preferences. */
export const PasswordChanged = defineEvent(
  'evt.identity.user.password-changed',
  z.object({ user_id: Uuid, revoked_sessions: z.number().int() }),
);
/** A spent refresh token was presented: the session family is revoked and the user is told. */
export const RefreshTokenReused = defineEvent(
  'evt.identity.session.reuse-detected',
  z.object({ user_id: Uuid, session_id: Uuid }),
);
/** An API token was created: tenant-bound ones alert the tenant's owners and admins, personal ones their user. */
export const ApiTokenCreated = defineEvent(
  'evt.identity.api-token.created',
  z.object({ token_id: Uuid, user_id: Uuid, tenant_id: Uuid.nullable(), name: z.string(), expires_at: z.string() }),
);
/** The master key ring's active key changed and the vault re-sealed its data keys: installation admins are told. */
export const MasterKeyRotated = defineEvent(
  'evt.vault.master-key.rotated',
  z.object({ active_master_key_id: z.number().int(), remaining: z.number().int(), actor_id: Uuid.nullable() }),
);
