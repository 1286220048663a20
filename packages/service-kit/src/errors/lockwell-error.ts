import { ErrorCode, RpcErrorBody, type ErrorDetail } from '@lockwell/contracts';
import { z } from 'zod';

/**
 * The one error type domain code throws. The code comes from contracts; the message is safe to show to a
 * client (it never contains a rejected value); details list fields for validation errors.
 */
export class LockwellError extends Error {
  /**
   * An authorisation refusal that answers with a not-found code (a non-member must not learn the tenant exists);
   * FORBIDDEN is one by its code. The RPC layer writes one `authz.denied` audit record for each refusal (AUD-2).
   */
  denied = false;
  /** The refusal already has its audit record (a service recorded it in its own words, e.g. the vault's secrets). */
  deniedRecorded = false;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'LockwellError';
  }

  /** True for an authorisation refusal (see `denied`). */
  get isDenial(): boolean {
    return this.denied || this.code === ErrorCode.FORBIDDEN;
  }

  toBody(): RpcErrorBody {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }

  /** Rebuilds an error received over the bus (its refusal, if it is one, already audited); anything unrecognisable becomes INTERNAL. */
  static fromBody(body: unknown): LockwellError {
    const parsed = RpcErrorBody.safeParse(body);
    if (!parsed.success || !(parsed.data.code in ErrorCode))
      return new LockwellError(ErrorCode.INTERNAL, 'Internal error');
    const err = new LockwellError(parsed.data.code as ErrorCode, parsed.data.message, parsed.data.details);
    // A refusal received from another service was audited by that service: passing it on adds no second record.
    err.deniedRecorded = true;
    return err;
  }
}

/** Turns a zod failure into VALIDATION_FAILED with one detail per field; messages never echo input. */
export function validationError(error: z.ZodError, prefix?: string): LockwellError {
  const details = error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || undefined,
    issue: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
  return new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', details);
}

/** Parses `input` with `schema` or throws VALIDATION_FAILED. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error, prefix);
  return result.data;
}
