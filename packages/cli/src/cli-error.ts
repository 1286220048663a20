// Every failure ends as one clear line on stderr and a non-zero exit code; never a stack trace.
import { ClientErrorCode, EnvNameCollisionError, LockwellApiError, LockwellError } from '@lockwell/sdk';

/** Wrong use of the command line: exit code 2, and the command's usage is shown. */
export class UsageError extends Error {}

/** A failure with its own message and exit code (1 unless said). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 'CLI_ERROR',
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface ReportedError {
  code: string;
  message: string;
  request_id?: string;
  hint?: string;
  exitCode: number;
}

const RELOGIN = 'run `lockwell login` (or set LOCKWELL_TOKEN)';

export function describeError(err: unknown, url: string): ReportedError {
  if (err instanceof UsageError) return { code: 'USAGE', message: err.message, exitCode: 2 };
  if (err instanceof CliError)
    return {
      code: err.code,
      message: err.message,
      hint: err.code === 'NOT_LOGGED_IN' ? RELOGIN : undefined,
      exitCode: err.exitCode,
    };
  if (err instanceof EnvNameCollisionError) {
    const lines = err.build.collisions.map((c) => `  ${c.name}: ${c.sources.join(', ')}`).join('\n');
    return {
      code: err.code,
      message: `several secrets map to the same variable name:\n${lines}`,
      hint: 'rename one of them, or narrow with --service',
      exitCode: 1,
    };
  }
  if (err instanceof LockwellApiError) {
    const base = { code: err.code, request_id: err.requestId, exitCode: 1 };
    switch (err.code) {
      case 'UNAUTHENTICATED':
        return {
          ...base,
          message: `${url} refused your credentials: they were revoked, expired or logged out`,
          hint: RELOGIN,
        };
      case 'INVALID_REFRESH_TOKEN':
        return { ...base, message: `your session on ${url} has ended`, hint: RELOGIN };
      case 'RATE_LIMITED':
        return {
          ...base,
          message: `${err.message}${err.retryAfterSeconds ? ` (retry in ${err.retryAfterSeconds} s)` : ''}`,
        };
      default:
        return { ...base, message: err.message };
    }
  }
  if (err instanceof LockwellError) {
    if (err.code === ClientErrorCode.NETWORK_ERROR)
      return {
        code: err.code,
        message: err.message,
        hint: 'is the server running? set --url or LOCKWELL_URL',
        exitCode: 1,
      };
    if (err.code === ClientErrorCode.NOT_LOGGED_IN)
      return { code: err.code, message: `not logged in to ${url}`, hint: RELOGIN, exitCode: 1 };
    return { code: err.code, message: err.message, exitCode: 1 };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'ERROR', message, exitCode: 1 };
}

export function reportError(err: unknown, url: string, json: boolean): number {
  const e = describeError(err, url);
  if (json) {
    process.stderr.write(
      `${JSON.stringify({ error: { code: e.code, message: e.message, request_id: e.request_id, hint: e.hint } })}\n`,
    );
  } else {
    const suffix =
      e.code === 'USAGE' || e.code === 'ERROR' || e.code === 'CLI_ERROR'
        ? ''
        : ` (${e.code}${e.request_id ? `, request ${e.request_id}` : ''})`;
    process.stderr.write(`lockwell: ${e.message}${suffix}\n${e.hint ? `hint: ${e.hint}\n` : ''}`);
  }
  return e.exitCode;
}
