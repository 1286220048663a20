import fc from 'fast-check';
import {
  buildAad,
  CIPHERTEXT_FORMAT_V1,
  CryptoError,
  DecryptError,
  KeyNotFoundError,
  open,
  readCiphertextHeader,
  seal,
  UnknownFormatError,
} from '../src/index.js';
import { V1_FIXTURE } from './fixtures/ciphertext-v1.js';

const FC = { seed: 42, numRuns: 200 };
const KEY = Buffer.alloc(32, 0x5a);
const OTHER_KEY = Buffer.alloc(32, 0xa5);
const HEADER = 5;
const IV = 12;
const TAG = 16;

// Worst-case resolver: every id maps to the real key, so only authentication can catch a rewritten header.
const anyIdResolver = () => KEY;

const plaintextArb = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
  fc.string({ maxLength: 256 }),
);
const keyIdArb = fc.integer({ min: 0, max: 0xffffffff });

describe('seal/open round trip', () => {
  it('returns the original bytes or UTF-8 string for any plaintext, key id and AAD', () => {
    fc.assert(
      fc.property(plaintextArb, keyIdArb, fc.string(), (plaintext, keyId, aad) => {
        const sealed = seal(KEY, keyId, plaintext, aad);
        const expected = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
        expect(open(anyIdResolver, sealed, aad).equals(expected)).toBe(true);
        expect(sealed.length).toBe(HEADER + IV + TAG + expected.length);
      }),
      FC,
    );
  });

  it('does not contain the plaintext in the output', () => {
    const plaintext = 'super-secret-database-password-1234567890';
    expect(seal(KEY, 1, plaintext, 'ctx').includes(Buffer.from(plaintext))).toBe(false);
  });

  it('rejects keys that are not 32 bytes and key ids outside u32', () => {
    expect(() => seal(Buffer.alloc(16), 1, 'x', 'a')).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    expect(() => seal(KEY, -1, 'x', 'a')).toThrow(expect.objectContaining({ code: 'INVALID_KEY_ID' }));
    expect(() => seal(KEY, -1, 'x', 'a')).toThrow(CryptoError);
    expect(() => seal(KEY, 2 ** 32, 'x', 'a')).toThrow(CryptoError);
    expect(() => seal(KEY, 1.5, 'x', 'a')).toThrow(CryptoError);
  });
});

describe('ENC-3: ciphertext is bound to its context (AAD)', () => {
  it('open(seal(x, ctxA), ctxB) throws DecryptError for every ctxB != ctxA', () => {
    fc.assert(
      fc.property(plaintextArb, fc.string(), fc.string(), (plaintext, ctxA, ctxB) => {
        fc.pre(ctxA !== ctxB);
        const sealed = seal(KEY, 1, plaintext, ctxA);
        expect(() => open(anyIdResolver, sealed, ctxB)).toThrow(DecryptError);
      }),
      FC,
    );
  });

  it('a secret sealed for one tenant/record cannot be opened as another', () => {
    const recordArb = fc.record({
      tenant: fc.string({ minLength: 1 }),
      secret: fc.string({ minLength: 1 }),
      version: fc.nat(),
    });
    fc.assert(
      fc.property(recordArb, recordArb, (a, b) => {
        fc.pre(a.tenant !== b.tenant || a.secret !== b.secret || a.version !== b.version);
        const sealed = seal(KEY, 1, 'value', buildAad(a));
        expect(() => open(anyIdResolver, sealed, buildAad(b))).toThrow(DecryptError);
      }),
      FC,
    );
  });

  it('fails with DecryptError under the wrong key', () => {
    const sealed = seal(KEY, 1, 'value', 'ctx');
    expect(() => open(() => OTHER_KEY, sealed, 'ctx')).toThrow(DecryptError);
  });
});

describe('ENC-4: tampering is always detected', () => {
  it('any single-bit flip anywhere in the blob throws a CryptoError and never returns data', () => {
    fc.assert(
      fc.property(plaintextArb, fc.string(), fc.nat(), (plaintext, aad, bit) => {
        const sealed = seal(KEY, 3, plaintext, aad);
        const index = bit % (sealed.length * 8);
        const tampered = Buffer.from(sealed);
        tampered[index >> 3] ^= 1 << (index & 7);
        expect(() => open(anyIdResolver, tampered, aad)).toThrow(CryptoError);
      }),
      FC,
    );
  });

  it('flips confined to each region (key id, iv, tag, ciphertext) are each rejected', () => {
    const sealed = seal(KEY, 3, 'some secret value', 'ctx');
    const regions: Array<[string, number, number]> = [
      ['key id', 1, HEADER],
      ['iv', HEADER, HEADER + IV],
      ['tag', HEADER + IV, HEADER + IV + TAG],
      ['ciphertext', HEADER + IV + TAG, sealed.length],
    ];
    for (const [, start, end] of regions) {
      for (let byte = start; byte < end; byte++) {
        for (let b = 0; b < 8; b++) {
          const tampered = Buffer.from(sealed);
          tampered[byte] ^= 1 << b;
          expect(() => open(anyIdResolver, tampered, 'ctx')).toThrow(CryptoError);
        }
      }
    }
  });

  it('a rewritten key id fails even when the resolver knows that id with the same key', () => {
    const sealed = seal(KEY, 1, 'value', 'ctx');
    sealed.writeUInt32BE(2, 1);
    expect(() => open(anyIdResolver, sealed, 'ctx')).toThrow(DecryptError);
  });

  it('truncation at any length throws a CryptoError', () => {
    const sealed = seal(KEY, 1, 'a longer value to truncate', 'ctx');
    for (let len = 0; len < sealed.length; len++) {
      expect(() => open(anyIdResolver, sealed.subarray(0, len), 'ctx')).toThrow(CryptoError);
    }
  });

  it('passes KeyNotFoundError from the resolver through', () => {
    const sealed = seal(KEY, 9, 'value', 'ctx');
    const resolver = (id: number): Buffer => {
      throw new KeyNotFoundError(id);
    };
    expect(() => open(resolver, sealed, 'ctx')).toThrow(KeyNotFoundError);
  });
});

describe('ENC-5: IV uniqueness', () => {
  it('never repeats an IV over 20,000 seals under one key', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const sealed = seal(KEY, 1, 'x', 'ctx');
      ivs.add(sealed.subarray(HEADER, HEADER + IV).toString('hex'));
    }
    expect(ivs.size).toBe(20_000);
  });
});

describe('ENC-6: self-describing format', () => {
  it('the header round-trips version and key id', () => {
    fc.assert(
      fc.property(keyIdArb, plaintextArb, (keyId, plaintext) => {
        const sealed = seal(KEY, keyId, plaintext, '');
        expect(readCiphertextHeader(sealed)).toEqual({ version: CIPHERTEXT_FORMAT_V1, keyId });
        expect(sealed[0]).toBe(1);
      }),
      FC,
    );
  });

  it('an unknown version byte throws UnknownFormatError from open and readCiphertextHeader', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), (version) => {
        fc.pre(version !== CIPHERTEXT_FORMAT_V1);
        const sealed = seal(KEY, 1, 'value', 'ctx');
        sealed[0] = version;
        expect(() => readCiphertextHeader(sealed)).toThrow(UnknownFormatError);
        expect(() => open(anyIdResolver, sealed, 'ctx')).toThrow(UnknownFormatError);
      }),
      { seed: 42, numRuns: 255 },
    );
    let code: string | undefined;
    try {
      readCiphertextHeader(Buffer.from([2]));
    } catch (e) {
      code = (e as CryptoError).code;
    }
    expect(code).toBe('UNKNOWN_CIPHERTEXT_FORMAT');
  });

  it('a too-short blob throws DecryptError from readCiphertextHeader', () => {
    expect(() => readCiphertextHeader(Buffer.alloc(0))).toThrow(DecryptError);
    expect(() => readCiphertextHeader(Buffer.from([1, 0, 0, 0, 1]))).toThrow(DecryptError);
  });

  it('the committed v1 fixture still decrypts', () => {
    const sealed = Buffer.from(V1_FIXTURE.sealedHex, 'hex');
    expect(buildAad(V1_FIXTURE.aadParts)).toBe(V1_FIXTURE.aad);
    expect(readCiphertextHeader(sealed)).toEqual({ version: 1, keyId: V1_FIXTURE.keyId });
    const resolver = (id: number) => {
      if (id !== V1_FIXTURE.keyId) throw new KeyNotFoundError(id);
      return V1_FIXTURE.key;
    };
    expect(open(resolver, sealed, V1_FIXTURE.aad).toString('utf8')).toBe(V1_FIXTURE.plaintext);
  });
});

describe('buildAad', () => {
  it('sorts keys and joins k=v with |', () => {
    expect(buildAad({ tenant: 't1', secret: 's1', version: 3 })).toBe('secret=s1|tenant=t1|version=3');
    expect(buildAad({})).toBe('');
  });

  it('escapes | and = so values cannot forge extra fields', () => {
    expect(buildAad({ a: 'x|b=y' })).not.toBe(buildAad({ a: 'x', b: 'y' }));
    expect(buildAad({ a: 'x|b=y' })).toBe('a=x\\|b\\=y');
  });

  it('is independent of key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (parts) => {
        const reversed = Object.fromEntries(Object.entries(parts).reverse());
        expect(buildAad(reversed)).toBe(buildAad(parts));
      }),
      FC,
    );
  });

  it('maps distinct records to distinct strings', () => {
    const dict = fc.dictionary(
      fc.string({ unit: fc.constantFrom('a', '|', '=', '\\', 'b') }),
      fc.string({ unit: fc.constantFrom('a', '|', '=', '\\', 'b') }),
      { maxKeys: 4 },
    );
    fc.assert(
      fc.property(dict, dict, (a, b) => {
        const same = JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
        expect(buildAad(a) === buildAad(b)).toBe(same);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it('rejects non-finite numbers', () => {
    expect(() => buildAad({ n: Number.NaN })).toThrow(CryptoError);
  });
});

describe('argument checks', () => {
  it('accepts key id 0 and 2^32-1, the ends of the u32 range', () => {
    expect(readCiphertextHeader(seal(KEY, 0, 'x', 'a')).keyId).toBe(0);
    expect(readCiphertextHeader(seal(KEY, 0xffffffff, 'x', 'a')).keyId).toBe(0xffffffff);
  });

  it('buildAad refuses values that are neither strings nor finite numbers (untyped callers)', () => {
    for (const v of [true, null, undefined, {}, [], Number.POSITIVE_INFINITY]) {
      expect(() => buildAad({ a: v as unknown as string })).toThrow(expect.objectContaining({ code: 'INVALID_AAD' }));
    }
    expect(buildAad({ a: 0, b: -1.5 })).toBe('a=0|b=-1.5');
  });
});
