import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ErrorCode } from '@lockwell/contracts';
import { LOGGER, LockwellError, type Logger } from '@lockwell/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpStatusFor } from './error-status.js';

const DEFAULT_RETRY_AFTER_SECONDS = 60;
/** A dependency that is down (a database restarting, NATS reconnecting) is usually back within seconds. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** Fastify's own errors (raised before a route runs) mapped to our codes by their status. */
const FRAMEWORK_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_REQUEST,
  404: ErrorCode.ROUTE_NOT_FOUND,
  405: ErrorCode.METHOD_NOT_ALLOWED,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  // A path parameter longer than the router accepts: a malformed request like any other.
  414: ErrorCode.BAD_REQUEST,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
};

/** Turns anything thrown into the docs/api.md envelope; unknown failures are logged and answered as a bare 500. */
export function toErrorResponse(err: unknown, logger: Logger, requestId: string): { status: number; body: unknown } {
  let error: LockwellError;
  if (err instanceof LockwellError) {
    error = err;
  } else {
    const status =
      err instanceof HttpException ? err.getStatus() : Number((err as { statusCode?: number })?.statusCode);
    const code = FRAMEWORK_CODES[status];
    if (code) {
      error = new LockwellError(code, frameworkMessage(code));
    } else {
      logger.error({ err, requestId }, 'unhandled error');
      error = new LockwellError(ErrorCode.INTERNAL, 'Internal error');
    }
  }
  const status = httpStatusFor(error.code);
  return { status, body: { error: { ...error.toBody(), request_id: requestId } } };
}

function frameworkMessage(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.ROUTE_NOT_FOUND:
      return 'No such route';
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return 'The request body is too large';
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 'Send the body as application/json';
    case ErrorCode.METHOD_NOT_ALLOWED:
      return 'Method not allowed';
    case ErrorCode.RATE_LIMITED:
      return 'Too many requests';
    default:
      return 'The request is malformed';
  }
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    let error = exception;
    if (exception instanceof LockwellError && exception.code === ErrorCode.RATE_LIMITED) {
      // Services say how long to wait in a detail; clients read it from Retry-After (docs/api.md "Conventions").
      const wait = Number(exception.details?.find((d) => d.field === 'retry_after_seconds')?.issue);
      void reply.header('Retry-After', String(Number.isInteger(wait) && wait > 0 ? wait : DEFAULT_RETRY_AFTER_SECONDS));
      error = new LockwellError(ErrorCode.RATE_LIMITED, exception.message);
    }
    if (exception instanceof LockwellError && httpStatusFor(exception.code) === 503) {
      void reply.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    }
    const { status, body } = toErrorResponse(error, this.logger, req.id);
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
