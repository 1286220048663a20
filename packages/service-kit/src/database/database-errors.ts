// Which database failures mean "the dependency is down or overloaded, try again shortly" (503) rather than a
// bug (500). MikroORM copies the driver's `code` onto its DriverException, so one walk over the error, its
// cause and an AggregateError's members sees the SQLSTATE or the socket errno whatever wrapped it.

/** SQLSTATEs a retry of the whole transaction resolves: serialization failure and deadlock (always rolled back). */
const CONFLICT_STATES = new Set(['40001', '40P01']);

// Class 08 connection exception, 53 insufficient resources (too many connections, disk full, out of memory),
// 57P01-57P03 shutdown / crash / still starting, 57014 statement timeout or cancel, 55P03 lock timeout,
// 25P03 idle-in-transaction timeout, 58 I/O errors outside PostgreSQL.
const UNAVAILABLE_STATE = /^(08|53|57P0[123]$|57014$|55P03$|25P03$|58)/;

const SOCKET_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// node-postgres and pg-pool report a lost server or an exhausted pool with plain messages and no code.
const DRIVER_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'timeout expired',
  'is not queryable',
  'Query read timeout',
];

function* causes(err: unknown, depth = 0): Generator<{ code?: unknown; message?: unknown }> {
  if (!err || typeof err !== 'object' || depth > 4) return;
  yield err as { code?: unknown; message?: unknown };
  const { cause, errors } = err as { cause?: unknown; errors?: unknown };
  if (cause) yield* causes(cause, depth + 1);
  if (Array.isArray(errors)) for (const e of errors) yield* causes(e, depth + 1);
}

/** A serialization failure or deadlock: the transaction was rolled back and may simply run again. */
export function isTransactionConflict(err: unknown): boolean {
  for (const e of causes(err)) if (typeof e.code === 'string' && CONFLICT_STATES.has(e.code)) return true;
  return false;
}

/** The database is unreachable, restarting, out of connections or too slow right now; also a conflict that ran out of retries. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of causes(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (CONFLICT_STATES.has(code) || SOCKET_ERRNOS.has(code) || (code.length === 5 && UNAVAILABLE_STATE.test(code)))
      return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (DRIVER_MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
}

/** Whether the error, or one it wraps, carries SQLSTATE `state` or is MikroORM's exception class `exceptionName`. */
function isViolation(err: unknown, state: string, exceptionName: string): boolean {
  for (const e of causes(err)) if (e.code === state || (e as Error).name === exceptionName) return true;
  return false;
}

/** A unique constraint refused the row (23505): a concurrent writer got there first. */
export const isUniqueViolation = (err: unknown): boolean =>
  isViolation(err, '23505', 'UniqueConstraintViolationException');

/** A foreign key refused the row (23503): what it points to was deleted meanwhile. */
export const isForeignKeyViolation = (err: unknown): boolean =>
  isViolation(err, '23503', 'ForeignKeyConstraintViolationException');
