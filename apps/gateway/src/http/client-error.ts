import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import { httpStatusFor } from './error-status.js';

/** What Node's HTTP parser refused, as one of our errors. */
export function clientErrorOf(err: NodeJS.ErrnoException): LockwellError {
  if (err.code === 'HPE_HEADER_OVERFLOW')
    return new LockwellError(ErrorCode.HEADERS_TOO_LARGE, 'The request headers are too large');
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return new LockwellError(ErrorCode.REQUEST_TIMEOUT, 'The request did not arrive in time');
  return new LockwellError(ErrorCode.BAD_REQUEST, 'The request is malformed');
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refuses some requests before Fastify sees them (a header
 * section over 16 KB, a malformed request line, header or chunk, a request too slow). Without this they got
 * fastify's bare body with no code and no request id; now they get the error envelope like every other 4xx.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // A connection reset by the client: nobody is left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const error = clientErrorOf(err);
  const status = httpStatusFor(error.code);
  const requestId = randomUUID();
  const body = JSON.stringify({ error: { ...error.toBody(), request_id: requestId } });
  if (socket.writable)
    socket.write(
      [
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        `X-Request-Id: ${requestId}`,
        'Cache-Control: no-store',
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  socket.destroy(err);
}
