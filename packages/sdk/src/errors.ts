// Typed errors of the SDK. Every failure a caller can see is a LockwellError with a stable `code`: the API's own
// error code (docs/api.md "Errors": SECRET_NOT_FOUND, RATE_LIMITED, …) when the server answered, or one of the
// client-side codes below when it did not.

export interface ErrorDetail {
  field?: string;
  issue: string;
}

/** Codes the SDK produces itself (the server never sends these). */
export const ClientErrorCode = {
  /** The server could not be reached (connection refused, DNS, TLS, reset) after the retries. */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** The answer was not the JSON the API promises (a proxy's HTML page, a truncated body). */
  BAD_RESPONSE: 'BAD_RESPONSE',
  /** No credentials were configured, or the stored session is gone. */
  NOT_LOGGED_IN: 'NOT_LOGGED_IN',
  /** Two secrets derive the same environment variable name (see deriveEnvName). */
  ENV_NAME_COLLISION: 'ENV_NAME_COLLISION',
} as const;

export class LockwellError extends Error {
  override readonly name: string = 'LockwellError';
  constructor(
    /** The API's error code, or a ClientErrorCode. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The API answered with an error envelope `{"error": {code, message, details, request_id}}`. */
export class LockwellApiError extends LockwellError {
  override readonly name = 'LockwellApiError';
  constructor(
    code: string,
    message: string,
    readonly status: number,
    /** The gateway's request id (body or X-Request-Id): quote it when reporting a problem. */
    readonly requestId: string | undefined,
    readonly details: ErrorDetail[] = [],
    /** Seconds the server asked to wait (Retry-After on 429/503), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
  }

  /** Builds the error from a non-2xx response and its (already read) body. */
  static from(response: Response, body: unknown): LockwellApiError {
    const envelope = (
      body as { error?: { code?: unknown; message?: unknown; details?: unknown; request_id?: unknown } } | undefined
    )?.error;
    const requestId =
      (typeof envelope?.request_id === 'string' ? envelope.request_id : undefined) ??
      response.headers.get('x-request-id') ??
      undefined;
    const retryAfter = Number(response.headers.get('retry-after'));
    const retryAfterSeconds =
      Number.isFinite(retryAfter) && response.headers.has('retry-after') ? retryAfter : undefined;
    if (typeof envelope?.code !== 'string') {
      return new LockwellApiError(
        ClientErrorCode.BAD_RESPONSE,
        `HTTP ${response.status} without a Lockwell error body`,
        response.status,
        requestId,
        [],
        retryAfterSeconds,
      );
    }
    const details = Array.isArray(envelope.details) ? (envelope.details as ErrorDetail[]) : [];
    const message = typeof envelope.message === 'string' ? envelope.message : envelope.code;
    return new LockwellApiError(envelope.code, message, response.status, requestId, details, retryAfterSeconds);
  }
}

/** The server could not be reached. */
export class LockwellNetworkError extends LockwellError {
  override readonly name = 'LockwellNetworkError';
  constructor(url: string, cause: unknown) {
    super(ClientErrorCode.NETWORK_ERROR, `cannot reach ${url}: ${describeCause(cause)}`, { cause });
  }
}

function describeCause(cause: unknown): string {
  // Node's fetch wraps the socket error: "fetch failed" with the useful part (ECONNREFUSED …) in `cause`.
  const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
  if (inner?.code) return inner.code;
  if (inner?.message) return inner.message;
  return cause instanceof Error ? cause.message : String(cause);
}

/** True when a cached value may be served instead of this error (stale-if-error): the server was unreachable or
 * temporarily failing, as opposed to having said no (401, 403, 404 are answers and must reach the caller). */
export function isTransient(err: unknown): boolean {
  if (err instanceof LockwellNetworkError) return true;
  return err instanceof LockwellApiError && (err.status === 429 || err.status >= 500);
}
