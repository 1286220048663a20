import { z } from 'zod';
import { Empty, KeysPerMasterKey, Timestamp, Uuid } from '../common.js';
import { defineEvent } from '../events.js';
import { defineRpc } from '../rpc.js';

// Login, refresh, logout, signing keys and API-token verification (docs/api.md "Auth").

/** Longest password accepted anywhere: well above PW-2's 64, small enough to bound argon2 input. */
export const MAX_PASSWORD_LENGTH = 1024;

export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((e) => e.toLowerCase());

export const LoginBody = z
  .object({ email: z.string().max(320), password: z.string().max(MAX_PASSWORD_LENGTH) })
  .strict();
export type LoginBody = z.infer<typeof LoginBody>;

export const TokenPair = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});
export type TokenPair = z.infer<typeof TokenPair>;

export const IdentityAuthLogin = defineRpc('identity.auth.login', LoginBody, TokenPair);

/**
 * What the web console's session routes answer (gateway extension, /api/v1/auth/console/*): the access token
 * only. The refresh token travels in an HttpOnly cookie the console's scripts never see.
 */
export const ConsoleSession = TokenPair.omit({ refresh_token: true });
export type ConsoleSession = z.infer<typeof ConsoleSession>;

export const RefreshBody = z.object({ refresh_token: z.string().min(1).max(512) }).strict();
export const IdentityAuthRefresh = defineRpc('identity.auth.refresh', RefreshBody, TokenPair);

export const LogoutBody = z.object({ refresh_token: z.string().min(1).max(512).optional() }).strict();
/** Ends the caller's current session (and the session of `refresh_token`, when it is the caller's). */
export const IdentityAuthLogout = defineRpc(
  'identity.auth.logout',
  LogoutBody,
  z.object({ session_ids: z.array(Uuid) }),
);

/**
 * The public signing keys (RFC 7517 JWK Set) plus the claims the gateway must require, so issuer and
 * audience are configured once, in identity.
 */
export const Jwk = z.object({
  kty: z.string(),
  crv: z.string().optional(),
  x: z.string().optional(),
  kid: z.string(),
  alg: z.string(),
  use: z.string(),
});
export const JwksResponse = z.object({
  keys: z.array(Jwk),
  issuer: z.string(),
  audience: z.string(),
  algorithm: z.literal('EdDSA'),
});
export type JwksResponse = z.infer<typeof JwksResponse>;
export const IdentityJwksGet = defineRpc('identity.jwks.get', Empty, JwksResponse);

/** Admin: start signing with a fresh key; the old one stays in the JWKS until its last token expired (KEY-5). */
export const SigningKeyRotated = z.object({
  kid: z.string(),
  previous_kid: z.string().nullable(),
  previous_published_until: Timestamp.nullable(),
});
export const IdentityKeysRotate = defineRpc('identity.keys.rotate', Empty, SigningKeyRotated);
/** A new signing key became active: verifiers refetch the JWKS instead of waiting for their cache to expire. */
export const SigningKeysChanged = defineEvent('evt.identity.signing-key.rotated', z.object({ kid: z.string() }));

/**
 * Master-key rotation, identity's part: re-seals every signing key not yet under the active master key (the
 * gateway sums it with the vault's data keys, so `remaining` counts every sealed key of the installation).
 */
export const IdentityMasterKeyRotate = defineRpc(
  'identity.master-key.rotate',
  z.object({}).strict(),
  z.object({ active_master_key_id: z.number().int(), rewrapped: z.number().int(), remaining: z.number().int() }),
);

/** Master-key rotation status, identity's part: its signing keys by the master key that seals them. */
export const IdentityMasterKeyStatus = defineRpc(
  'identity.master-key.status',
  Empty,
  z.object({ active_master_key_id: z.number().int(), signing_keys: KeysPerMasterKey, remaining: z.number().int() }),
);

/**
 * The gateway asks identity what an API token (by SHA-256 hash: the raw token never crosses the bus)
 * grants; `null` when it is unknown, expired or revoked.
 */
export const ApiTokenGrant = z.object({
  token_id: Uuid,
  user_id: Uuid,
  tenant_id: Uuid.nullable(),
  permissions: z.array(z.string()),
  expires_at: Timestamp,
});
export type ApiTokenGrant = z.infer<typeof ApiTokenGrant>;
export const IdentityApiTokenVerify = defineRpc(
  'identity.api-token.verify',
  z.object({ token_hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  z.object({ grant: ApiTokenGrant.nullable() }),
);

/**
 * Sessions revoked recently enough that access tokens of theirs may still be unexpired: a gateway loads
 * this at start and after a NATS reconnect, so revocations it missed while away still apply (SES-8).
 */
export const IdentitySessionRevokedList = defineRpc(
  'identity.session.revoked-list',
  Empty,
  z.object({
    sessions: z.array(z.object({ session_id: Uuid, user_id: Uuid, revoked_at: Timestamp })),
    access_token_ttl_seconds: z.number().int(),
  }),
);
