// Envelope encryption (ENC-2): each record/tenant gets its own data-encryption key (DEK), stored only
// wrapped by the master key ring, so rotating the master key means rewrapping 32-byte DEKs rather
// than re-encrypting every secret.
import { randomBytes } from 'node:crypto';
import { open, readCiphertextHeader, seal } from './aead.js';
import { CryptoError, DecryptError } from './errors.js';
import type { MasterKeyRing } from './master-key-ring.js';

const DATA_KEY_BYTES = 32;

// ENC-5: with random 96-bit IVs the collision risk stays below 2^-32 only up to 2^32 messages per key
// (NIST SP 800-38D §8.3), so callers count encryptions and rotate before reaching this.
export const NONCE_SAFE_LIMIT: number = 2 ** 32;

/** A fresh 256-bit DEK from the CSPRNG (ENC-7). */
export function generateDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

/** Seals `dek` under the ring's active key, bound to `aad` (e.g. tenant and record ids). */
export function wrapDataKey(ring: MasterKeyRing, dek: Buffer, aad: string): Buffer {
  if (!Buffer.isBuffer(dek) || dek.length !== DATA_KEY_BYTES) {
    throw new CryptoError('INVALID_KEY', `a data key must be ${DATA_KEY_BYTES} bytes`);
  }
  return seal(ring.key(ring.activeKeyId), ring.activeKeyId, dek, aad);
}

/** Recovers a DEK wrapped under any key still in the ring; throws DecryptError, UnknownFormatError or KeyNotFoundError. */
export function unwrapDataKey(ring: MasterKeyRing, wrapped: Buffer, aad: string): Buffer {
  const dek = open((id) => ring.key(id), wrapped, aad);
  if (dek.length !== DATA_KEY_BYTES) throw new DecryptError();
  return dek;
}

/** Re-seals a wrapped DEK under the active master key (master-key rotation); the DEK itself is unchanged. */
export function rewrapDataKey(ring: MasterKeyRing, wrapped: Buffer, aad: string): Buffer {
  const dek = unwrapDataKey(ring, wrapped, aad);
  // Stryker disable BlockStatement,CallExpression: wiping the plaintext DEK afterwards is memory hygiene, which no caller can observe
  try {
    return wrapDataKey(ring, dek, aad);
  } finally {
    dek.fill(0);
  }
  // Stryker restore BlockStatement,CallExpression
}

/** The master key id a wrapped DEK was sealed under, read from its header without decrypting. */
export function wrappedKeyId(wrapped: Buffer): number {
  return readCiphertextHeader(wrapped).keyId;
}

/** True once a key has been used `cap` (default NONCE_SAFE_LIMIT) times and must be replaced. */
export function mustRotateKey(encryptionCount: number, cap?: number): boolean {
  return encryptionCount >= (cap ?? NONCE_SAFE_LIMIT);
}
