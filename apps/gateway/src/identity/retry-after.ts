import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import type { FastifyReply } from 'fastify';

/** Runs `call`; a RATE_LIMITED answer from identity sets Retry-After from the wait it carries (PW-4). */
export async function withRetryAfter<T>(reply: FastifyReply, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof LockwellError && err.code === ErrorCode.RATE_LIMITED) {
      const seconds = Number(err.details?.find((d) => d.field === 'retry_after_seconds')?.issue);
      if (Number.isInteger(seconds) && seconds > 0) void reply.header('Retry-After', String(seconds));
      throw new LockwellError(ErrorCode.RATE_LIMITED, err.message);
    }
    throw err;
  }
}
