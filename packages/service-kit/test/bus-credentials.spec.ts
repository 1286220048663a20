import { BUS_IDENTITIES } from '@lockwell/contracts';
import { busKeysSpec, createBusKey } from '@lockwell/local-infra/bus';
import {
  BusKeyring,
  BusSigner,
  isLoopbackNatsUrl,
  loadBusCredentials,
  SeenNonces,
  signCall,
  verifyCall,
} from '../src/index.js';

const keys = Object.fromEntries(BUS_IDENTITIES.map((id) => [id, createBusKey()]));
const spec = busKeysSpec(keys);

describe('bus identities (API-6, AZ-5)', () => {
  it("verifies a signature only with the signer's own public key", () => {
    const keyring = BusKeyring.parse(spec, 'LOCKWELL_BUS_KEYS');
    const gateway = BusSigner.fromSeed('gateway', keys.gateway!.seed, 'seed');
    const sig = gateway.sign('hello');
    expect(keyring.verify('gateway', 'hello', sig)).toBe(true);
    expect(keyring.verify('vault', 'hello', sig)).toBe(false);
    expect(keyring.verify('gateway', 'hello!', sig)).toBe(false);
    expect(keyring.verify('root', 'hello', sig)).toBe(false);
    expect(keyring.verify('gateway', 'hello', 'not-a-signature')).toBe(false);
  });

  it('refuses a process whose seed is not the key listed for its identity', () => {
    const env = { NATS_URL: 'nats://127.0.0.1:4222', LOCKWELL_BUS_KEYS: spec };
    expect(loadBusCredentials('vault', { ...env, LOCKWELL_NATS_SEED: keys.vault!.seed }).identity).toBe('vault');
    expect(() => loadBusCredentials('vault', { ...env, LOCKWELL_NATS_SEED: keys.tenants!.seed })).toThrow(
      'LOCKWELL_NATS_SEED: not the vault key listed in LOCKWELL_BUS_KEYS',
    );
  });

  it('names the setting, never the value, when a key does not parse', () => {
    const seed = keys.vault!.seed;
    expect(() => BusSigner.fromSeed('vault', `${seed}x`, 'LOCKWELL_NATS_SEED')).toThrow(
      /^LOCKWELL_NATS_SEED: not an nkey user seed$/,
    );
    expect(() => BusKeyring.parse(spec.replace(/gateway=U/, 'gateway=X'), 'LOCKWELL_BUS_KEYS')).toThrow(
      /LOCKWELL_BUS_KEYS: the key of gateway/,
    );
    expect(() => BusKeyring.parse(spec.split(',').slice(1).join(','), 'LOCKWELL_BUS_KEYS')).toThrow(
      'LOCKWELL_BUS_KEYS: no key for gateway',
    );
    try {
      BusSigner.fromSeed('vault', `${seed}x`, 'LOCKWELL_NATS_SEED');
    } catch (err) {
      expect((err as Error).message).not.toContain(seed.slice(4, 20));
    }
  });

  it('turns on TLS for a tls:// URL or a CA file, and knows loopback hosts', () => {
    const base = { LOCKWELL_NATS_SEED: keys.vault!.seed, LOCKWELL_BUS_KEYS: spec };
    expect(loadBusCredentials('vault', { ...base, NATS_URL: 'tls://nats:4222' })).toMatchObject({
      url: 'nats://nats:4222',
      tls: {},
    });
    expect(
      loadBusCredentials('vault', { ...base, NATS_URL: 'nats://nats:4222', LOCKWELL_NATS_TLS_CA_FILE: '/ca.pem' }).tls,
    ).toEqual({ caFile: '/ca.pem' });
    expect(loadBusCredentials('vault', { ...base, NATS_URL: 'nats://127.0.0.1:4222' }).tls).toBeUndefined();
    for (const url of ['nats://127.0.0.1:4222', 'nats://localhost:1', 'tls://[::1]:4222', 'nats://u:p@127.0.0.2:4222'])
      expect({ url, loopback: isLoopbackNatsUrl(url) }).toEqual({ url, loopback: true });
    for (const url of ['nats://nats:4222', 'nats://10.0.0.1:4222', 'nats://127.0.0.1.evil.example:4222'])
      expect({ url, loopback: isLoopbackNatsUrl(url) }).toEqual({ url, loopback: false });
  });
});

describe('signed calls (AZ-5)', () => {
  const keyring = BusKeyring.parse(spec, 'LOCKWELL_BUS_KEYS');
  const gateway = BusSigner.fromSeed('gateway', keys.gateway!.seed, 'seed');
  const ctx = { requestId: 'r', principal: null, ip: null, userAgent: null };

  it('binds subject, context, payload, signer and time', () => {
    const now = Date.now();
    const auth = signCall(gateway, 'vault.secret.get', ctx, { a: 1 }, now);
    expect(verifyCall(keyring, 'vault.secret.get', ctx, { a: 1 }, auth, now)).toMatchObject({
      by: 'gateway',
      nonce: auth.nonce,
    });
    expect(verifyCall(keyring, 'vault.secret.delete', ctx, { a: 1 }, auth, now)).toBe('bad-signature');
    expect(verifyCall(keyring, 'vault.secret.get', { ...ctx, requestId: 'x' }, { a: 1 }, auth, now)).toBe(
      'bad-signature',
    );
    expect(verifyCall(keyring, 'vault.secret.get', ctx, { a: 2 }, auth, now)).toBe('bad-signature');
    expect(verifyCall(keyring, 'vault.secret.get', ctx, { a: 1 }, { ...auth, by: 'identity' }, now)).toBe(
      'bad-signature',
    );
    expect(verifyCall(keyring, 'vault.secret.get', ctx, { a: 1 }, auth, now + 61_000)).toBe('stale');
    expect(verifyCall(keyring, 'vault.secret.get', ctx, { a: 1 }, undefined, now)).toBe('unsigned');
  });

  it('remembers each nonce for twice the window, and forgets it after', () => {
    const nonces = new SeenNonces(1000, 10);
    expect(nonces.firstUse('a', 0)).toBe(true);
    expect(nonces.firstUse('a', 999)).toBe(false);
    expect(nonces.firstUse('b', 500)).toBe(true);
    expect(nonces.firstUse('a', 1001)).toBe(true);
    for (let i = 0; i < 50; i++) nonces.firstUse(`n${i}`, 1002);
    expect(nonces.size).toBeLessThanOrEqual(10);
  });
});
