// Opaque bearer tokens (API keys, sessions, invites) and the small primitives used around them.
// Tokens are stored only as hashes, so a database leak does not hand out live credentials.
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { CryptoError } from './errors.js';

/** `prefix` + base64url of `bytes` (default 32, i.e. 256 bits) CSPRNG bytes; the prefix makes leaked tokens greppable. */
export function generateToken(prefix = '', bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 1) {
    throw new CryptoError('INVALID_ARGUMENT', 'token byte length must be a positive integer');
  }
  return prefix + randomBytes(bytes).toString('base64url');
}

/** SHA-256 hex of a token; tokens carry full entropy already, so a fast unsalted hash suffices for lookup. */
export function hashToken(token: string): string {
  // Stryker disable next-line StringLiteral: equivalent, update(string, '') hashes UTF-8 as well
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** HMAC-SHA256 of `data` as lowercase hex (webhook signatures, keyed lookups). */
export function hmacSha256Hex(key: Buffer | string, data: string): string {
  // Stryker disable next-line StringLiteral: equivalent, see hashToken
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

/** Equality whose timing does not reveal where inputs differ; different lengths return false instead of throwing. */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, Buffer.from copies a Buffer and reads strings as UTF-8
  const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  // Stryker disable next-line ConditionalExpression,StringLiteral: as above
  const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  // Length is not secret for the values compared here (hex digests, fixed-size tokens).
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/** HKDF-SHA256 (RFC 5869): derives `length` bytes for the purpose named by `info`. */
export function hkdf(ikm: Buffer, salt: Buffer | string, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}
