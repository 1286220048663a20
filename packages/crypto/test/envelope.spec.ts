import fc from 'fast-check';
import {
  buildAad,
  CryptoError,
  DecryptError,
  generateDataKey,
  generateMasterKeySpec,
  KeyNotFoundError,
  mustRotateKey,
  NONCE_SAFE_LIMIT,
  parseMasterKeyRing,
  rewrapDataKey,
  seal,
  unwrapDataKey,
  wrapDataKey,
  wrappedKeyId,
} from '../src/index.js';

const FC = { seed: 42, numRuns: 200 };
const LABEL = 'LOCKWELL_MASTER_KEY';
const key1 = Buffer.alloc(32, 1).toString('base64');
const key2 = Buffer.alloc(32, 2).toString('base64');
const ringV1 = parseMasterKeyRing(`1:${key1}`, LABEL);
const ringV1V2 = parseMasterKeyRing(`1:${key1},2:${key2}`, LABEL);
const ringV2Only = parseMasterKeyRing(`2:${key2}`, LABEL);
const AAD = buildAad({ tenant: 'tnt_1', purpose: 'dek' });

describe('data keys (ENC-7)', () => {
  it('are 32 random bytes and two never match', () => {
    const a = generateDataKey();
    const b = generateDataKey();
    expect(a.length).toBe(32);
    expect(b.length).toBe(32);
    expect(a.equals(b)).toBe(false);
  });
});

describe('wrap/unwrap (ENC-2)', () => {
  it('round-trips under the active key id', () => {
    const dek = generateDataKey();
    const wrapped = wrapDataKey(ringV1V2, dek, AAD);
    expect(wrappedKeyId(wrapped)).toBe(2);
    expect(unwrapDataKey(ringV1V2, wrapped, AAD).equals(dek)).toBe(true);
    expect(wrapped.includes(dek)).toBe(false);
  });

  it('refuses a DEK that is not 32 bytes', () => {
    expect(() => wrapDataKey(ringV1, Buffer.alloc(16), AAD)).toThrow(CryptoError);
  });

  it('ENC-3: a wrapped DEK cannot be unwrapped under another AAD', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (aadA, aadB) => {
        fc.pre(aadA !== aadB);
        const wrapped = wrapDataKey(ringV1, generateDataKey(), aadA);
        expect(() => unwrapDataKey(ringV1, wrapped, aadB)).toThrow(DecryptError);
      }),
      FC,
    );
  });

  it('ENC-4: any single-bit flip in a wrapped DEK throws a CryptoError', () => {
    fc.assert(
      fc.property(fc.nat(), (bit) => {
        const wrapped = wrapDataKey(ringV1V2, generateDataKey(), AAD);
        const index = bit % (wrapped.length * 8);
        wrapped[index >> 3] ^= 1 << (index & 7);
        expect(() => unwrapDataKey(ringV1V2, wrapped, AAD)).toThrow(CryptoError);
      }),
      FC,
    );
  });

  it('throws KeyNotFoundError when the wrapping key was removed from the ring', () => {
    const wrapped = wrapDataKey(ringV1, generateDataKey(), AAD);
    expect(() => unwrapDataKey(ringV2Only, wrapped, AAD)).toThrow(KeyNotFoundError);
  });
});

describe('master key rotation', () => {
  it('rewrap moves a DEK from key 1 to key 2 and it still unwraps to the same DEK', () => {
    const dek = generateDataKey();
    const wrappedV1 = wrapDataKey(ringV1, dek, AAD);
    expect(wrappedKeyId(wrappedV1)).toBe(1);

    const wrappedV2 = rewrapDataKey(ringV1V2, wrappedV1, AAD);
    expect(wrappedKeyId(wrappedV2)).toBe(2);
    expect(unwrapDataKey(ringV1V2, wrappedV2, AAD).equals(dek)).toBe(true);
    // Once everything is rewrapped, key 1 can be dropped from the configuration.
    expect(unwrapDataKey(ringV2Only, wrappedV2, AAD).equals(dek)).toBe(true);
    // The old blob stays readable while key 1 is still configured.
    expect(unwrapDataKey(ringV1V2, wrappedV1, AAD).equals(dek)).toBe(true);
  });

  it('rewrap with the wrong AAD fails instead of re-sealing', () => {
    const wrapped = wrapDataKey(ringV1, generateDataKey(), AAD);
    expect(() => rewrapDataKey(ringV1V2, wrapped, 'other')).toThrow(DecryptError);
  });

  it('works with generated specs', () => {
    const ring = parseMasterKeyRing(`${generateMasterKeySpec(1)},${generateMasterKeySpec(2)}`, LABEL);
    const dek = generateDataKey();
    const wrapped = rewrapDataKey(ring, wrapDataKey(ring, dek, AAD), AAD);
    expect(unwrapDataKey(ring, wrapped, AAD).equals(dek)).toBe(true);
  });
});

describe('ENC-5: nonce budget', () => {
  it('the safe limit is 2^32 random-IV encryptions per key', () => {
    expect(NONCE_SAFE_LIMIT).toBe(2 ** 32);
  });

  it('mustRotateKey flips exactly at the cap', () => {
    expect(mustRotateKey(0)).toBe(false);
    expect(mustRotateKey(NONCE_SAFE_LIMIT - 1)).toBe(false);
    expect(mustRotateKey(NONCE_SAFE_LIMIT)).toBe(true);
    expect(mustRotateKey(NONCE_SAFE_LIMIT + 1)).toBe(true);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1 }), (count, cap) => {
        expect(mustRotateKey(count, cap)).toBe(count >= cap);
      }),
      FC,
    );
  });
});

describe('unwrap checks what it recovered', () => {
  it('refuses an authentic blob that does not hold a 32-byte key', () => {
    const notAKey = seal(ringV1.key(1), 1, Buffer.alloc(16, 7), AAD);
    expect(() => unwrapDataKey(ringV1, notAKey, AAD)).toThrow(DecryptError);
    expect(() => rewrapDataKey(ringV1V2, notAKey, AAD)).toThrow(DecryptError);
  });

  it('rejects a DEK of the wrong length with INVALID_KEY', () => {
    expect(() => wrapDataKey(ringV1, Buffer.alloc(33), AAD)).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
  });
});
