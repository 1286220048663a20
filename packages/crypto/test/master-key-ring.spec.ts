import { inspect } from 'node:util';
import fc from 'fast-check';
import { generateMasterKeySpec, InvalidMasterKeyError, KeyNotFoundError, parseMasterKeyRing } from '../src/index.js';

const LABEL = 'LOCKWELL_MASTER_KEY';
const bytes = (fill: number) => Buffer.alloc(32, fill);
const b64 = (fill: number) => bytes(fill).toString('base64');

function expectInvalid(spec: string): void {
  let caught: unknown;
  try {
    parseMasterKeyRing(spec, LABEL);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvalidMasterKeyError);
  const err = caught as InvalidMasterKeyError;
  expect(err.code).toBe('INVALID_MASTER_KEY');
  expect(err.message).toContain(LABEL);
  if (spec.trim() !== '') expect(err.message).not.toContain(spec.trim());
  // No fragment of any key (>= 8 chars) may leak either.
  for (const piece of spec
    .split(/[,:]/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 8)) {
    expect(err.message).not.toContain(piece);
  }
}

describe('parseMasterKeyRing', () => {
  it('accepts a single base64 key as id 1', () => {
    const ring = parseMasterKeyRing(b64(7), LABEL);
    expect(ring.activeKeyId).toBe(1);
    expect(ring.keyIds).toEqual([1]);
    expect(ring.key(1).equals(bytes(7))).toBe(true);
  });

  it('accepts base64url, unpadded base64 and surrounding whitespace', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    for (const text of [
      key.toString('base64url'),
      key.toString('base64').replace(/=+$/, ''),
      `  ${key.toString('base64')}\n`,
    ]) {
      expect(parseMasterKeyRing(text, LABEL).key(1).equals(key)).toBe(true);
    }
  });

  it('accepts a list and makes the highest id active regardless of order', () => {
    const ring = parseMasterKeyRing(`3:${b64(3)}, 1:${b64(1)},2:${b64(2)}`, LABEL);
    expect(ring.activeKeyId).toBe(3);
    expect(ring.keyIds).toEqual([1, 2, 3]);
    expect(ring.key(2).equals(bytes(2))).toBe(true);
    expect(() => ring.key(4)).toThrow(KeyNotFoundError);
  });

  it('accepts a single id:key entry', () => {
    const ring = parseMasterKeyRing(`5:${b64(5)}`, LABEL);
    expect(ring.activeKeyId).toBe(5);
    expect(ring.keyIds).toEqual([5]);
  });

  it('rejects keys of the wrong length', () => {
    expectInvalid(Buffer.alloc(16, 9).toString('base64'));
    expectInvalid(Buffer.alloc(33, 9).toString('base64'));
    expectInvalid(`1:${Buffer.alloc(31, 9).toString('base64')}`);
  });

  it('rejects bad base64', () => {
    expectInvalid(`${b64(1).slice(0, 20)}!!${b64(1).slice(22)}`);
    expectInvalid(`1:${b64(1).slice(0, 10)} ${b64(1).slice(11)}`);
    expectInvalid('not-a-key-at-all-but-long-enough');
    expectInvalid(`1:${b64(1)}===`);
  });

  it('rejects duplicate, zero, negative, non-numeric or missing ids and empty entries', () => {
    expectInvalid(`1:${b64(1)},1:${b64(2)}`);
    expectInvalid(`0:${b64(1)}`);
    expectInvalid(`-1:${b64(1)}`);
    expectInvalid(`a:${b64(1)}`);
    expectInvalid(`:${b64(1)}`);
    expectInvalid(`1:${b64(1)},`);
    expectInvalid(`1:${b64(1)},${b64(2)}`);
    expectInvalid(`4294967296:${b64(1)}`);
    expectInvalid('');
    expectInvalid('   ');
  });

  it('never echoes the value for arbitrary garbage', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (spec) => {
        try {
          parseMasterKeyRing(spec, LABEL);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidMasterKeyError);
          const message = (e as Error).message;
          expect(message.startsWith(`${LABEL} is not a valid master key:`)).toBe(true);
          if (spec.trim().length >= 12) expect(message).not.toContain(spec.trim());
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('does not expose keys through inspect or JSON, and hands out copies', () => {
    const ring = parseMasterKeyRing(`1:${b64(1)},2:${b64(2)}`, LABEL);
    const key = ring.key(2);
    expect(inspect(ring, { showHidden: true, depth: 5 })).not.toContain(key.toString('hex').slice(0, 16));
    expect(JSON.stringify(ring)).not.toContain(b64(2));
    key.fill(0);
    expect(ring.key(2).equals(bytes(2))).toBe(true);
  });
});

describe('generateMasterKeySpec', () => {
  it('produces a parseable id:base64 spec with 32 fresh random bytes', () => {
    const spec = generateMasterKeySpec();
    expect(spec).toMatch(/^1:[A-Za-z0-9+/]{43}=$/);
    const ring = parseMasterKeyRing(spec, LABEL);
    expect(ring.activeKeyId).toBe(1);
    expect(ring.key(1).length).toBe(32);
    expect(generateMasterKeySpec()).not.toBe(spec);
    expect(generateMasterKeySpec(3).startsWith('3:')).toBe(true);
  });
});

describe('parseMasterKeyRing: exact syntax', () => {
  const reasonOf = (spec: unknown) => {
    try {
      parseMasterKeyRing(spec as string, LABEL);
      return 'accepted';
    } catch (e) {
      return (e as Error).message.slice(`${LABEL} is not a valid master key: `.length);
    }
  };

  it('says why a setting is refused, naming the entry, never the value', () => {
    expect(reasonOf('')).toBe('it is empty');
    expect(reasonOf(undefined)).toBe('it is empty');
    expect(reasonOf(42)).toBe('it is empty');
    expect(reasonOf('%%%')).toBe('the key is not valid base64');
    expect(reasonOf(Buffer.alloc(16).toString('base64'))).toBe('the key must decode to exactly 32 bytes');
    expect(reasonOf(`1:${b64(1)},${b64(2)}`)).toBe('entry 2 is not of the form id:base64key');
    expect(reasonOf(`:${b64(1)}`)).toBe('entry 1 needs a positive integer key id below 2^32');
    expect(reasonOf(`1:${b64(1)},1:${b64(2)}`)).toBe('entry 2 repeats a key id used by an earlier entry');
  });

  it('accepts multi-digit ids up to 2^32-1 and spaces around the colon, refuses ids with junk', () => {
    expect(parseMasterKeyRing(`12:${b64(1)}`, LABEL).activeKeyId).toBe(12);
    expect(parseMasterKeyRing(`4294967295:${b64(1)}`, LABEL).activeKeyId).toBe(4294967295);
    expect(
      parseMasterKeyRing(`1 : ${b64(1)} `, LABEL)
        .key(1)
        .equals(bytes(1)),
    ).toBe(true);
    expectInvalid(`1a:${b64(1)}`);
    expectInvalid(`01:${b64(1)}`);
  });

  it('accepts only the canonical encoding of a key', () => {
    const zero = Buffer.alloc(32).toString('base64');
    expect(zero).toBe(`${'A'.repeat(43)}=`);
    expect(parseMasterKeyRing(zero, LABEL).key(1).equals(Buffer.alloc(32))).toBe(true);
    // Same bytes, but the unused low bits of the last character set: not canonical.
    expectInvalid(`${'A'.repeat(42)}B=`);
    expectInvalid(`${'A'.repeat(43)}==`);
    expectInvalid(`x${zero}`.slice(0, 44));
  });
});

describe('generateMasterKeySpec ids', () => {
  it('refuses ids outside 1..2^32-1', () => {
    for (const id of [0, -1, 1.5, 2 ** 32]) expect(() => generateMasterKeySpec(id)).toThrow(InvalidMasterKeyError);
    expect(generateMasterKeySpec(2 ** 32 - 1).startsWith('4294967295:')).toBe(true);
  });
});
