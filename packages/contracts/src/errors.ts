import { z } from 'zod';

/**
 * Every error code that crosses a process boundary. Services throw them, the gateway maps them to HTTP in
 * exactly one place (apps/gateway/src/http/error-status.ts).
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  INVALID_CURSOR: 'INVALID_CURSOR',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  INVALID_REFRESH_TOKEN: 'INVALID_REFRESH_TOKEN',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  ROLE_NOT_FOUND: 'ROLE_NOT_FOUND',
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  TOKEN_NOT_FOUND: 'TOKEN_NOT_FOUND',
  TENANT_NOT_FOUND: 'TENANT_NOT_FOUND',
  MEMBER_NOT_FOUND: 'MEMBER_NOT_FOUND',
  SECRET_NOT_FOUND: 'SECRET_NOT_FOUND',
  VERSION_NOT_FOUND: 'VERSION_NOT_FOUND',
  NOTIFICATION_NOT_FOUND: 'NOTIFICATION_NOT_FOUND',
  WEBHOOK_NOT_FOUND: 'WEBHOOK_NOT_FOUND',
  SERVICE_NOT_FOUND: 'SERVICE_NOT_FOUND',
  CONNECTION_NOT_FOUND: 'CONNECTION_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  ROLE_NAME_TAKEN: 'ROLE_NAME_TAKEN',
  SLUG_TAKEN: 'SLUG_TAKEN',
  ALREADY_MEMBER: 'ALREADY_MEMBER',
  LAST_OWNER: 'LAST_OWNER',
  TENANT_DELETING: 'TENANT_DELETING',
  SECRET_ALREADY_EXISTS: 'SECRET_ALREADY_EXISTS',
  INVALID_STATE: 'INVALID_STATE',
  GONE: 'GONE',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The request's header section (URL included) is over Node's limit (16 KB): refused before any route runs. */
  HEADERS_TOO_LARGE: 'HEADERS_TOO_LARGE',
  /** The request did not arrive in full within the server's request timeout. */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  UNPROCESSABLE: 'UNPROCESSABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  /** A configured quota (e.g. LOCKWELL_MAX_SECRETS_PER_TENANT) is reached; waiting does not help, deleting does. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** An OAuth callback's state is unknown, expired, already used or bound to another browser (docs/connectors.md). */
  OAUTH_STATE_INVALID: 'OAUTH_STATE_INVALID',
  /** The provider refused the authorisation (`error=` on the callback, or the code exchange). */
  AUTHORIZATION_FAILED: 'AUTHORIZATION_FAILED',
  /** The connection is refresh_failed or revoked: its owner must connect again. */
  CONNECTION_REAUTH_REQUIRED: 'CONNECTION_REAUTH_REQUIRED',
  /** The grant lacks a scope the caller asked for (OC-3). */
  INSUFFICIENT_SCOPE: 'INSUFFICIENT_SCOPE',
  /** The provider answered with something that is not a valid OAuth response (OC-7). */
  PROVIDER_ERROR: 'PROVIDER_ERROR',
  /** The provider is unreachable, slow or answers 429/5xx, and no still-valid token is stored. */
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  AUDIT_UNAVAILABLE: 'AUDIT_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ErrorDetail = z.object({
  field: z.string().optional(),
  issue: z.string(),
});
export type ErrorDetail = z.infer<typeof ErrorDetail>;

/** How an error crosses NATS: never a stack trace, never a rejected value. */
export const RpcErrorBody = z.object({
  code: z.string(),
  message: z.string(),
  details: z.array(ErrorDetail).optional(),
});
export type RpcErrorBody = z.infer<typeof RpcErrorBody>;

/** The public HTTP error envelope of docs/api.md. */
export const HttpErrorEnvelope = z.object({
  error: RpcErrorBody.extend({ request_id: z.string() }),
});
