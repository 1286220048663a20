import { randomBytes } from 'node:crypto';
import type { BusKeyring, BusSigner } from '../nats/bus-keys.js';

/** How far a signed call's timestamp may be from the receiver's clock before it is refused as stale. */
export const SIGNATURE_MAX_AGE_MS = 60_000;

export interface CallSignature {
  /** The bus identity that signed (and sent) the call. */
  by: string;
  /** Milliseconds since the epoch when the caller signed. */
  iat: number;
  /** 128 random bits: a receiver accepts each nonce once (replay protection within the window). */
  nonce: string;
  sig: string;
}

function material(
  subject: string,
  by: string,
  iat: number,
  nonce: string,
  ctx: unknown,
  data: unknown,
  budgetMs: unknown,
): string {
  return `lockwell-call-v3\n${subject}\n${by}\n${iat}\n${nonce}\n${JSON.stringify(ctx)}\n${JSON.stringify(data ?? null)}\n${JSON.stringify(budgetMs ?? null)}`;
}

/**
 * Signs a request's subject, context (who is calling), payload and time budget (`budgetMs`: how long the
 * caller waits, after which the service must not commit) with the caller's own key (AZ-5): a service acts on a
 * principal only when a caller allowed to make this call vouched for it, not because a message arrived on
 * NATS, a compromised service cannot sign as the gateway, and nobody on the path can shorten the budget to
 * make the service refuse a write.
 */
export function signCall(
  signer: BusSigner,
  subject: string,
  ctx: unknown,
  data: unknown,
  now: number,
  budgetMs?: number,
): CallSignature {
  const nonce = randomBytes(16).toString('base64url');
  return {
    by: signer.identity,
    iat: now,
    nonce,
    sig: signer.sign(material(subject, signer.identity, now, nonce, ctx, data, budgetMs)),
  };
}

/** Why a call was refused (for the receiver's log; the caller only learns UNAUTHENTICATED). */
export type CallRejection = 'unsigned' | 'stale' | 'bad-signature';

/** Checks that `signature` is a fresh signature of exactly this subject, context, payload and budget by `signature.by`. */
export function verifyCall(
  keyring: BusKeyring,
  subject: string,
  ctx: unknown,
  data: unknown,
  signature: unknown,
  now: number,
  budgetMs?: unknown,
): CallSignature | CallRejection {
  // Anything but an object with the four fields (nothing, a string, a number) is simply unsigned.
  const { by, iat, nonce, sig } = (signature ?? {}) as Partial<CallSignature>;
  if (
    typeof by !== 'string' ||
    typeof iat !== 'number' ||
    typeof nonce !== 'string' ||
    nonce.length < 16 ||
    typeof sig !== 'string'
  )
    return 'unsigned';
  if (Math.abs(now - iat) > SIGNATURE_MAX_AGE_MS) return 'stale';
  if (!keyring.verify(by, material(subject, by, iat, nonce, ctx, data, budgetMs), sig)) return 'bad-signature';
  return { by, iat, nonce, sig };
}
