import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { constantTimeEqual, CryptoError, generateToken, hashToken, hkdf, hmacSha256Hex } from '../src/index.js';

describe('generateToken', () => {
  it('starts with the prefix and carries 32 random bytes as base64url by default', () => {
    const token = generateToken('lw_');
    expect(token.startsWith('lw_')).toBe(true);
    const body = token.slice(3);
    expect(body).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(body, 'base64url').length).toBe(32);
  });

  it('honours the byte length and defaults to no prefix', () => {
    expect(Buffer.from(generateToken('', 16), 'base64url').length).toBe(16);
    expect(generateToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(() => generateToken('x', 0)).toThrow(CryptoError);
  });

  it('has no repeats and roughly uniform characters over many draws', () => {
    const tokens = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const token = generateToken('lw_');
      tokens.add(token);
      for (const ch of token.slice(3, 45)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(tokens.size).toBe(2000);
    // 84,000 characters over a 64-symbol alphabet: every symbol shows up, none dominates.
    expect(counts.size).toBe(64);
    for (const n of counts.values()) expect(n).toBeLessThan(2 * (84_000 / 64));
  });
});

describe('hashToken / hmacSha256Hex', () => {
  it('hashToken is the SHA-256 hex of the token', () => {
    fc.assert(
      fc.property(fc.string(), (token) => {
        const digest = hashToken(token);
        expect(digest).toMatch(/^[0-9a-f]{64}$/);
        expect(digest).toBe(createHash('sha256').update(token, 'utf8').digest('hex'));
      }),
      { seed: 42, numRuns: 200 },
    );
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hmacSha256Hex matches RFC 4231 test case 2 and accepts Buffer keys', () => {
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    const key = Buffer.alloc(32, 7);
    expect(hmacSha256Hex(key, 'data')).toBe(createHmac('sha256', key).update('data').digest('hex'));
  });
});

describe('constantTimeEqual', () => {
  it('is true for equal inputs and false for different ones of equal length', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual(Buffer.from('abc'), 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
  });

  it('is false without throwing for different lengths', () => {
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
    expect(constantTimeEqual(Buffer.alloc(0), Buffer.alloc(0))).toBe(true);
  });

  it('agrees with plain equality', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a === b);
        expect(constantTimeEqual(a, a)).toBe(true);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('hkdf', () => {
  it('matches RFC 5869 test case 3 (empty salt and info)', () => {
    const ikm = Buffer.alloc(22, 0x0b);
    expect(hkdf(ikm, '', '', 42).toString('hex')).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it('is deterministic and separates purposes by info', () => {
    const ikm = Buffer.alloc(32, 3);
    const a = hkdf(ikm, 'salt', 'lockwell/session', 32);
    expect(hkdf(ikm, 'salt', 'lockwell/session', 32).equals(a)).toBe(true);
    expect(hkdf(ikm, 'salt', 'lockwell/webhook', 32).equals(a)).toBe(false);
    expect(hkdf(ikm, Buffer.from('salt'), 'lockwell/session', 32).equals(a)).toBe(true);
  });
});

describe('generateToken sizes', () => {
  it('allows a single byte, refuses zero, negative and fractional sizes', () => {
    expect(Buffer.from(generateToken('', 1), 'base64url')).toHaveLength(1);
    for (const n of [0, -1, 1.5])
      expect(() => generateToken('', n)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
