// Self-describing AES-256-GCM ciphertexts (ENC-6). Every blob carries its format version and the
// id of the key that sealed it, so data outlives key rotation and format changes:
//   [version u8 = 1][key id u32 BE][iv 12][tag 16][ciphertext]
// The 5 header bytes are bound into GCM's AAD together with the caller's context string, so a
// rewritten key id or version cannot steer decryption even if a resolver maps several ids to one key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CryptoError, DecryptError, UnknownFormatError } from './errors.js';

export const CIPHERTEXT_FORMAT_V1 = 1;

const CIPHER = 'aes-256-gcm';
const KEY_BYTES = 32;
const HEADER_BYTES = 5;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_SEALED_BYTES = HEADER_BYTES + IV_BYTES + TAG_BYTES;
const MAX_KEY_ID = 0xffffffff;

function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new CryptoError('INVALID_KEY', `AES-256-GCM needs a ${KEY_BYTES}-byte key`);
  }
}

function assertKeyId(keyId: number): void {
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > MAX_KEY_ID) {
    throw new CryptoError('INVALID_KEY_ID', 'key id must be an integer between 0 and 2^32-1');
  }
}

function gcmAad(header: Buffer, aad: string): Buffer {
  // Stryker disable next-line StringLiteral: equivalent, Buffer.from(string, '') is UTF-8 as well
  return Buffer.concat([header, Buffer.from(aad, 'utf8')]);
}

/** Encrypts under `key` with a fresh random 96-bit IV, binding `aad` and the header; returns the v1 blob. */
export function seal(key: Buffer, keyId: number, plaintext: Buffer | string, aad: string): Buffer {
  assertKey(key);
  assertKeyId(keyId);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(CIPHERTEXT_FORMAT_V1, 0);
  header.writeUInt32BE(keyId, 1);
  const iv = randomBytes(IV_BYTES);
  // Stryker disable next-line ObjectLiteral: equivalent, GCM's default tag is 16 bytes; open() pins the length
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(gcmAad(header, aad));
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: equivalent, cipher.update reads strings as UTF-8 and Buffer.from copies a Buffer
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

/** Reads version and key id without decrypting; throws UnknownFormatError or, if truncated, DecryptError. */
export function readCiphertextHeader(sealed: Buffer): { version: number; keyId: number } {
  if (!Buffer.isBuffer(sealed) || sealed.length < 1) throw new DecryptError();
  const version = sealed.readUInt8(0);
  if (version !== CIPHERTEXT_FORMAT_V1) throw new UnknownFormatError(version);
  if (sealed.length < MIN_SEALED_BYTES) throw new DecryptError();
  return { version, keyId: sealed.readUInt32BE(1) };
}

/** Authenticates and decrypts a blob from `seal`, asking `resolveKey` for the key id in its header. */
export function open(resolveKey: (keyId: number) => Buffer, sealed: Buffer, aad: string): Buffer {
  const { keyId } = readCiphertextHeader(sealed);
  // Resolver errors (KeyNotFoundError above all) pass through: "key retired" is actionable, unlike tampering.
  const key = resolveKey(keyId);
  const header = sealed.subarray(0, HEADER_BYTES);
  const iv = sealed.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = sealed.subarray(HEADER_BYTES + IV_BYTES, MIN_SEALED_BYTES);
  const body = sealed.subarray(MIN_SEALED_BYTES);
  try {
    // Stryker disable next-line BlockStatement,CallExpression: equivalent, createDecipheriv refuses a wrong-size key and that too ends as DecryptError
    assertKey(key);
    // Stryker disable next-line ObjectLiteral: equivalent here, the tag is always sliced to 16 bytes above (without the option Node would accept a truncated tag)
    const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(gcmAad(header, aad));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    // One error for every failure so the caller (or an attacker) learns nothing about which check failed.
    throw new DecryptError();
  }
}

function escapeAadToken(token: string): string {
  return token.replace(/[\\|=]/g, (ch) => `\\${ch}`);
}

/** Canonical AAD string for a record: keys sorted, `k=v` joined by '|', with '\\', '|' and '=' escaped so distinct records never collide. */
export function buildAad(parts: Record<string, string | number>): string {
  return Object.keys(parts)
    .sort()
    .map((k) => {
      const v = parts[k];
      if (typeof v === 'number' && !Number.isFinite(v)) {
        throw new CryptoError('INVALID_AAD', 'AAD values must be strings or finite numbers');
      }
      if (typeof v !== 'number' && typeof v !== 'string') {
        throw new CryptoError('INVALID_AAD', 'AAD values must be strings or finite numbers');
      }
      return `${escapeAadToken(k)}=${escapeAadToken(String(v))}`;
    })
    .join('|');
}
