import {
  DEFAULT_ARGON2_PARAMS,
  hashPassword,
  parsePhcParams,
  passwordNeedsRehash,
  verifyPassword,
} from '../src/index.js';

const WEAK = { memoryCost: 8192, timeCost: 1, parallelism: 1 };

describe('passwords (PW-1)', () => {
  let phc: string;

  beforeAll(async () => {
    phc = await hashPassword('correct horse battery staple');
  });

  it('defaults to the OWASP argon2id minimum', () => {
    expect(DEFAULT_ARGON2_PARAMS).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('produces an argon2id v19 PHC string with m=19456,t=2,p=1 and a 16-byte salt', () => {
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    const salt = phc.split('$')[4]!;
    expect(Buffer.from(salt, 'base64').length).toBe(16);
    expect(parsePhcParams(phc)).toEqual({ algorithm: 'argon2id', memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('salts every hash', async () => {
    expect(await hashPassword('correct horse battery staple')).not.toBe(phc);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    expect(await verifyPassword(phc, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(phc, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword(phc, '')).toBe(false);
  });

  it('returns false instead of throwing on malformed hashes', async () => {
    for (const bad of [
      '',
      'not a hash',
      '$argon2id$',
      '$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB',
      phc.slice(0, -10),
      '$2b$10$abcdefghijklmnopqrstuv',
    ]) {
      await expect(verifyPassword(bad, 'correct horse battery staple')).resolves.toBe(false);
    }
  });

  it('flags hashes weaker than the policy for rehash, and not the default ones', async () => {
    const weak = await hashPassword('pw', WEAK);
    expect(parsePhcParams(weak)).toEqual({ algorithm: 'argon2id', ...WEAK });
    expect(await verifyPassword(weak, 'pw')).toBe(true);
    expect(passwordNeedsRehash(weak)).toBe(true);
    expect(passwordNeedsRehash(phc)).toBe(false);
    expect(passwordNeedsRehash(phc, DEFAULT_ARGON2_PARAMS)).toBe(false);
    expect(passwordNeedsRehash(phc, { ...DEFAULT_ARGON2_PARAMS, timeCost: 3 })).toBe(true);
    expect(passwordNeedsRehash(weak, WEAK)).toBe(false);
  });

  it('flags non-argon2id and unparsable hashes for rehash', () => {
    const argon2i = phc.replace('$argon2id$', '$argon2i$');
    expect(parsePhcParams(argon2i)?.algorithm).toBe('argon2i');
    expect(passwordNeedsRehash(argon2i)).toBe(true);
    expect(passwordNeedsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
    expect(passwordNeedsRehash(phc.replace('$v=19$', '$v=16$'))).toBe(true);
    expect(parsePhcParams('garbage')).toBeNull();
  });
});
