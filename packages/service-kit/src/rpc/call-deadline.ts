import { AsyncLocalStorage } from 'node:async_hooks';
import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '../errors/lockwell-error.js';

// Time kept for the reply to travel back before the caller stops waiting.
const REPLY_MARGIN_MS = 250;

const deadlines = new AsyncLocalStorage<number>();

/**
 * The instant (ms since the epoch, this process's clock) after which the caller of the current RPC has given
 * up and answered 503, or undefined outside an RPC or when the caller sent no budget. Measured from when the
 * request arrived here, so clocks of different hosts never need to agree.
 */
export const currentCallDeadline = (): number | undefined => deadlines.getStore();

/** Runs `fn` under the deadline of a request that arrived at `receivedAt` with the caller's `budgetMs`. */
export function runWithCallBudget<T>(budgetMs: unknown, receivedAt: number, fn: () => Promise<T>): Promise<T> {
  if (typeof budgetMs !== 'number' || !Number.isFinite(budgetMs) || budgetMs <= 0) return fn();
  return deadlines.run(receivedAt + budgetMs - REPLY_MARGIN_MS, fn);
}

/**
 * Runs background work (the outbox relay's passes, kicked from inside a call) free of that call's deadline:
 * async context is inherited by everything a handler starts, and the relay must not stop committing just
 * because the request that woke it has been answered.
 */
export const outsideCallDeadline = <T>(fn: () => T): T => deadlines.exit(fn);

/**
 * Refuses to commit once the caller has given up (called just before every COMMIT): a write whose client was
 * told 503 must not land later, possibly over a newer write the client made after the 503.
 */
export function assertCallDeadlineNotPassed(now = Date.now()): void {
  const deadline = currentCallDeadline();
  if (deadline !== undefined && now > deadline) {
    throw new LockwellError(ErrorCode.SERVICE_UNAVAILABLE, 'The request ran out of time and was not applied; retry it');
  }
}
