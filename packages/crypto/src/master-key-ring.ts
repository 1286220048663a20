// The versioned key-encryption key read from LOCKWELL_MASTER_KEY. Several ids can be configured
// at once so a rotation can add a new key (which becomes active) while DEKs wrapped under the old
// one are still readable until they have been rewrapped.
import { createHmac, randomBytes } from 'node:crypto';
import { InvalidMasterKeyError, KeyNotFoundError } from './errors.js';

export interface MasterKeyRing {
  readonly activeKeyId: number;
  readonly keyIds: number[];
  key(id: number): Buffer;
}

const MASTER_KEY_BYTES = 32;
const MAX_KEY_ID = 0xffffffff;
// Stryker disable next-line Regex: equivalent, defence in depth: decodeKey's canonical round trip refuses any other character too
const BASE64_CHARS = /^[A-Za-z0-9+/_-]+={0,2}$/;
const KEY_ID = /^[1-9][0-9]{0,9}$/;

// Keys live in a private field so util.inspect / JSON.stringify of a ring never print them.
class KeyRing implements MasterKeyRing {
  readonly #keys: Map<number, Buffer>;
  readonly activeKeyId: number;

  constructor(keys: Map<number, Buffer>) {
    this.#keys = keys;
    this.activeKeyId = Math.max(...keys.keys());
  }

  get keyIds(): number[] {
    return [...this.#keys.keys()].sort((a, b) => a - b);
  }

  key(id: number): Buffer {
    const key = this.#keys.get(id);
    if (!key) throw new KeyNotFoundError(id);
    // A copy, so a caller that zeroes or mutates its buffer cannot corrupt the ring.
    return Buffer.from(key);
  }
}

// Strict decoding: Buffer.from(..., 'base64') silently skips junk, which would let a typo'd key
// decode to different bytes. Accept only canonical base64 or base64url, padded or not.
function decodeKey(text: string): Buffer | null {
  // Stryker disable next-line ConditionalExpression: equivalent, see BASE64_CHARS
  if (!BASE64_CHARS.test(text)) return null;
  // Stryker disable next-line Regex: equivalent for 32-byte keys, whose base64 ends in exactly one '='
  const body = text.replace(/=+$/, '');
  if (body.length !== text.length && text.length % 4 !== 0) return null;
  const bytes = Buffer.from(body, 'base64');
  const canonical =
    // Stryker disable next-line Regex: equivalent, Node pads with '=' at the end only
    bytes.toString('base64').replace(/=+$/, '') === body || bytes.toString('base64url') === body;
  return canonical ? bytes : null;
}

function parseKey(text: string, settingLabel: string, where: string): Buffer {
  const key = decodeKey(text);
  if (!key) throw new InvalidMasterKeyError(settingLabel, `${where} is not valid base64`);
  if (key.length !== MASTER_KEY_BYTES) {
    throw new InvalidMasterKeyError(settingLabel, `${where} must decode to exactly ${MASTER_KEY_BYTES} bytes`);
  }
  return key;
}

/** Parses `base64key` (id 1) or `id:base64key,...` (highest id active); throws InvalidMasterKeyError naming only `settingLabel`. */
export function parseMasterKeyRing(spec: string, settingLabel: string): MasterKeyRing {
  const text = typeof spec === 'string' ? spec.trim() : '';
  if (text === '') throw new InvalidMasterKeyError(settingLabel, 'it is empty');

  const keys = new Map<number, Buffer>();
  if (!text.includes(':') && !text.includes(',')) {
    keys.set(1, parseKey(text, settingLabel, 'the key'));
    return new KeyRing(keys);
  }

  const entries = text.split(',');
  entries.forEach((raw, index) => {
    const where = `entry ${index + 1}`;
    // Stryker disable next-line MethodExpression: equivalent, the id and the key are trimmed again below
    const entry = raw.trim();
    const colon = entry.indexOf(':');
    if (colon < 0) throw new InvalidMasterKeyError(settingLabel, `${where} is not of the form id:base64key`);
    const idText = entry.slice(0, colon).trim();
    if (!KEY_ID.test(idText) || Number(idText) > MAX_KEY_ID) {
      throw new InvalidMasterKeyError(settingLabel, `${where} needs a positive integer key id below 2^32`);
    }
    const id = Number(idText);
    if (keys.has(id))
      throw new InvalidMasterKeyError(settingLabel, `${where} repeats a key id used by an earlier entry`);
    keys.set(id, parseKey(entry.slice(colon + 1).trim(), settingLabel, where));
  });
  return new KeyRing(keys);
}

/** A fresh `id:base64` single-key spec for bootstrapping a dev or new install. */
export function generateMasterKeySpec(id = 1): string {
  if (!Number.isInteger(id) || id < 1 || id > MAX_KEY_ID) {
    throw new InvalidMasterKeyError('master key id', 'must be a positive integer below 2^32');
  }
  return `${id}:${randomBytes(MASTER_KEY_BYTES).toString('base64')}`;
}

/**
 * A 64-bit fingerprint of ring key `id` (HMAC-SHA256 of a fixed label, truncated): equal for the same key,
 * useless for recovering it. Backups record it so a restore with the wrong master key stops before changing anything.
 */
export function masterKeyCheckValue(ring: MasterKeyRing, id: number): string {
  // The label is part of the format: changing it would make every existing backup's check value unreadable.
  return createHmac('sha256', ring.key(id)).update('lockwell master key check value v1').digest('hex').slice(0, 16);
}
