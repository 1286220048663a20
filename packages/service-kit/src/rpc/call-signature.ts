import { hmacSha256Hex, constantTimeEqual } from '@lockwell/crypto';

/** How far a signed call's timestamp may be from the receiver's clock before it is refused as a replay. */
export const SIGNATURE_MAX_AGE_MS = 60_000;

export interface CallSignature {
  /** Milliseconds since the epoch when the caller signed. */
  iat: number;
  sig: string;
}

function material(subject: string, iat: number, ctx: unknown, data: unknown): string {
  return `${subject}\n${iat}\n${JSON.stringify(ctx)}\n${JSON.stringify(data ?? null)}`;
}

/**
 * Signs a request's subject, context (who is calling) and payload with the internal key (AZ-5): a service
 * acts on a principal only when a holder of that key vouched for it, not because a message arrived on NATS.
 */
export function signCall(key: string, subject: string, ctx: unknown, data: unknown, now: number): CallSignature {
  return { iat: now, sig: hmacSha256Hex(key, material(subject, now, ctx, data)) };
}

/** Whether `signature` is a fresh signature of exactly this subject, context and payload. */
export function verifyCall(key: string, subject: string, ctx: unknown, data: unknown, signature: unknown, now: number): boolean {
  // Stryker disable next-line ConditionalExpression: equivalent, a string or number signature destructures to an undefined iat, refused below
  if (!signature || typeof signature !== 'object') return false;
  const { iat, sig } = signature as Partial<CallSignature>;
  if (typeof iat !== 'number' || typeof sig !== 'string' || Math.abs(now - iat) > SIGNATURE_MAX_AGE_MS) return false;
  return constantTimeEqual(sig, hmacSha256Hex(key, material(subject, iat, ctx, data)));
}
