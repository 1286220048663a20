import { currentCallDeadline } from '../rpc/call-deadline.js';
import { isTransactionConflict } from './database-errors.js';

const ATTEMPTS = 3;
const BASE_DELAY_MS = 15;

/**
 * Runs a whole transaction again when PostgreSQL aborted it as a serialization failure or deadlock (SQLSTATE
 * 40001 / 40P01: always rolled back, so running it again cannot apply it twice). Bounded: at most three
 * attempts, with a short random back-off, and never past the current call's deadline; the last conflict is
 * rethrown and answered 503. Other errors (a lost connection, whose COMMIT may or may not have landed) are
 * never retried here.
 */
export async function retryOnConflict<T>(transaction: () => Promise<T>, attempts = ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (err) {
      const delay = BASE_DELAY_MS * attempt * (1 + Math.random());
      const deadline = currentCallDeadline();
      if (
        !isTransactionConflict(err) ||
        attempt >= attempts ||
        (deadline !== undefined && Date.now() + delay > deadline)
      )
        throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
