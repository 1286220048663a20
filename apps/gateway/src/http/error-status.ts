import { ErrorCode } from '@lockwell/contracts';

/** The one mapping from error codes to HTTP statuses (docs/architecture.md "Errors"). Exhaustive by construction. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.BAD_REQUEST:
    case ErrorCode.INVALID_CURSOR:
    case ErrorCode.OAUTH_STATE_INVALID:
    case ErrorCode.AUTHORIZATION_FAILED:
      return 400;
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.INVALID_CREDENTIALS:
    case ErrorCode.INVALID_REFRESH_TOKEN:
      return 401;
    case ErrorCode.FORBIDDEN:
    case ErrorCode.INSUFFICIENT_SCOPE:
      return 403;
    case ErrorCode.NOT_FOUND:
    case ErrorCode.ROUTE_NOT_FOUND:
    case ErrorCode.USER_NOT_FOUND:
    case ErrorCode.ROLE_NOT_FOUND:
    case ErrorCode.SESSION_NOT_FOUND:
    case ErrorCode.TOKEN_NOT_FOUND:
    case ErrorCode.TENANT_NOT_FOUND:
    case ErrorCode.MEMBER_NOT_FOUND:
    case ErrorCode.SECRET_NOT_FOUND:
    case ErrorCode.VERSION_NOT_FOUND:
    case ErrorCode.NOTIFICATION_NOT_FOUND:
    case ErrorCode.WEBHOOK_NOT_FOUND:
    case ErrorCode.SERVICE_NOT_FOUND:
    case ErrorCode.CONNECTION_NOT_FOUND:
      return 404;
    case ErrorCode.METHOD_NOT_ALLOWED:
      return 405;
    case ErrorCode.REQUEST_TIMEOUT:
      return 408;
    case ErrorCode.CONFLICT:
    case ErrorCode.EMAIL_TAKEN:
    case ErrorCode.ROLE_NAME_TAKEN:
    case ErrorCode.SLUG_TAKEN:
    case ErrorCode.ALREADY_MEMBER:
    case ErrorCode.LAST_OWNER:
    case ErrorCode.TENANT_DELETING:
    case ErrorCode.SECRET_ALREADY_EXISTS:
    case ErrorCode.INVALID_STATE:
    case ErrorCode.QUOTA_EXCEEDED:
    case ErrorCode.CONNECTION_REAUTH_REQUIRED:
      return 409;
    case ErrorCode.GONE:
      return 410;
    case ErrorCode.PRECONDITION_FAILED:
      return 412;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case ErrorCode.HEADERS_TOO_LARGE:
      return 431;
    case ErrorCode.UNPROCESSABLE:
      return 422;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.PROVIDER_ERROR:
      return 502;
    case ErrorCode.SERVICE_UNAVAILABLE:
    case ErrorCode.AUDIT_UNAVAILABLE:
    case ErrorCode.PROVIDER_UNAVAILABLE:
      return 503;
    case ErrorCode.INTERNAL:
      return 500;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}
