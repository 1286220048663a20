import { z } from 'zod';
import { PageQuery, pageOf, Timestamp, Uuid } from '../common.js';
import { defineEvent } from '../events.js';
import { defineRpc } from '../rpc.js';
import { OAuthScope } from './service.contracts.js';

// Connecting users to third-party services and brokering their tokens (docs/api.md "Third-party services").
// Tokens never appear in these shapes except in ConnectionToken, the broker's answer, which never carries
// the refresh token.

export const ConnectionStatus = z.enum(['connected', 'refresh_failed', 'revoked']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

/** A connection: one user's grant at one service, personal (`tenant_id` null) or for a tenant. */
export const Connection = z.object({
  id: Uuid,
  service_id: Uuid,
  service_name: z.string(),
  service_slug: z.string(),
  tenant_id: Uuid.nullable(),
  user_id: Uuid,
  status: ConnectionStatus,
  /** The scopes the provider granted (OC-3). */
  scopes: z.array(z.string()),
  /** When the current access token expires (extension); null when the provider's tokens do not expire. */
  expires_at: Timestamp.nullable(),
  last_refreshed_at: Timestamp.nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Connection = z.infer<typeof Connection>;

/** A service users may connect, with the caller's own connection to it (personal, or in `tenant_id`). */
export const ConnectableService = z.object({
  id: Uuid,
  name: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  protocol: z.enum(['oauth2', 'oidc']),
  scopes: z.array(z.string()),
  connection: Connection.pick({ id: true, status: true, scopes: true, expires_at: true }).nullable(),
});
export const ConnectableServiceQuery = z.object({ tenant_id: Uuid.optional() }).strict();

export const AuthorizeBody = z
  .object({
    /** Connect for this tenant (needs connections:use there) instead of personally. */
    tenant_id: Uuid.optional(),
    /** Scopes to request; the service's default scopes when omitted. */
    scopes: z.array(OAuthScope).min(1).max(50).optional(),
    /** Where the browser goes after the callback: a path on this origin or a URL under LOCKWELL_CONNECTORS_RETURN_URLS. */
    return_to: z.string().min(1).max(2048).optional(),
    /**
     * true (default): the callback must come from the browser that made this request (a short-lived binding
     * cookie). false: the state alone completes the flow (for curl and scripts), refused unless
     * LOCKWELL_CONNECTORS_ALLOW_UNBOUND_AUTHORIZATION is on (local runs) — docs/connectors.md "Authorisation flow (OC-1, OC-2)".
     */
    browser_binding: z.boolean().optional(),
  })
  .strict();
export const AuthorizeResult = z.object({ authorization_url: z.string(), state: z.string(), expires_at: Timestamp });
export type AuthorizeResult = z.infer<typeof AuthorizeResult>;

/** What the provider sends back (RFC 6749 §4.1.2, RFC 9207 `iss`); other parameters are ignored. */
export const CallbackQuery = z.object({
  code: z.string().min(1).max(4096).optional(),
  state: z.string().min(1).max(512).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(1024).optional(),
});
export type CallbackQuery = z.infer<typeof CallbackQuery>;

/**
 * The callback's outcome when the state was valid (an unknown, expired, reused or foreign state is the error
 * OAUTH_STATE_INVALID instead). `return_to` was checked against the allowlist when the flow started.
 */
export const CallbackResult = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('connected'),
    service_name: z.string(),
    connection: Connection,
    return_to: z.string().nullable(),
  }),
  z.object({
    outcome: z.literal('failed'),
    service_name: z.string(),
    code: z.string(),
    message: z.string(),
    return_to: z.string().nullable(),
  }),
]);
export type CallbackResult = z.infer<typeof CallbackResult>;

export const ConnectionListQuery = PageQuery.extend({
  tenant_id: Uuid.optional(),
  service_id: Uuid.optional(),
  status: ConnectionStatus.optional(),
}).strict();
export const ConnectionIdParams = z.object({ connection_id: Uuid }).strict();

export const ConnectionTokenBody = z
  .object({
    /** Scopes the caller needs: refused with INSUFFICIENT_SCOPE unless the grant holds them all (OC-3). */
    scopes: z.array(OAuthScope).min(1).max(50).optional(),
  })
  .strict();

/** A valid access token from the broker (extension). The refresh token never leaves the connectors service. */
export const ConnectionToken = z.object({
  access_token: z.string(),
  token_type: z.string(),
  /** RFC 3339; null when the provider's tokens do not expire. */
  expires_at: Timestamp.nullable(),
  scopes: z.array(z.string()),
  /** Fields the service's preset keeps from the token response, e.g. Salesforce's `instance_url`. */
  extra: z.record(z.string(), z.unknown()),
});
export type ConnectionToken = z.infer<typeof ConnectionToken>;

export const DisconnectResult = z.object({
  connection_id: Uuid,
  /** `revoked`: tokens destroyed, the connection stays listed until deleted again; `removed`: gone. */
  status: z.enum(['revoked', 'removed']),
  /** What the provider said (RFC 7009): `not_supported` when the service has no revocation endpoint. */
  provider_revocation: z.enum(['revoked', 'not_supported', 'failed', 'not_needed']),
});

export const ConnectorsCatalogList = defineRpc(
  'connectors.catalog.list',
  ConnectableServiceQuery,
  z.object({ items: z.array(ConnectableService) }),
);
/** `binding_hash`: SHA-256 (hex) of the binding cookie the gateway sets for this flow; null for an unbound flow. */
export const ConnectorsAuthorizationStart = defineRpc(
  'connectors.authorization.start',
  AuthorizeBody.extend({
    service_id: Uuid,
    binding_hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
  }),
  AuthorizeResult,
);
/** `binding_hash`: SHA-256 (hex) of the binding cookie the browser presented, if any. */
export const ConnectorsAuthorizationComplete = defineRpc(
  'connectors.authorization.complete',
  z.object({
    params: CallbackQuery,
    binding_hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
  }),
  CallbackResult,
);
export const ConnectorsConnectionList = defineRpc(
  'connectors.connection.list',
  ConnectionListQuery,
  pageOf(Connection),
);
export const ConnectorsConnectionToken = defineRpc(
  'connectors.connection.token',
  ConnectionTokenBody.extend({ connection_id: Uuid }),
  ConnectionToken,
);
export const ConnectorsConnectionDisconnect = defineRpc(
  'connectors.connection.disconnect',
  ConnectionIdParams,
  DisconnectResult,
);

/** What every connection event carries: who and what, never a token. */
export const ConnectionEventData = z.object({
  connection_id: Uuid,
  service_id: Uuid,
  service_name: z.string(),
  tenant_id: Uuid.nullable(),
  user_id: Uuid,
  status: ConnectionStatus,
  /** For refresh failures the provider's error code (`invalid_grant`, ...); for revocations why (`disconnected`, `service_deleted`). */
  reason: z.string().max(100).nullable(),
  /** The status before (`refresh_failed` on a reconnect: the connection recovered). */
  previous_status: ConnectionStatus.nullable(),
});
export type ConnectionEventData = z.infer<typeof ConnectionEventData>;

/** A user connected (or reconnected: `previous_status` says from what). */
export const ConnectionConnected = defineEvent('evt.connectors.connection.connected', ConnectionEventData);
/**
 * The provider refused the refresh for good (`invalid_grant`, ...): "reconnect needed", the owner must connect
 * again (notifications alert them). Once per failure; a later ConnectionConnected with `previous_status`
 * `refresh_failed` is the recovery.
 */
export const ConnectionRefreshFailed = defineEvent('evt.connectors.connection.refresh-failed', ConnectionEventData);
/** Disconnected by its owner, or its service was deleted: tokens destroyed. */
export const ConnectionRevoked = defineEvent('evt.connectors.connection.revoked', ConnectionEventData);
