import { BUS_IDENTITIES } from '@lockwell/contracts';
import { busKeysSpec, createBusKey } from '@lockwell/local-infra/bus';
import { BusKeyring, BusSigner } from '../src/nats/bus-keys.js';
import { SIGNATURE_MAX_AGE_MS, signCall, verifyCall } from '../src/rpc/call-signature.js';

// AZ-5: a service acts on a principal only when the call context is signed by a bus identity's own key, for
// this subject and payload, and recently. Each property below fails if its check is removed or loosened.
const keys = Object.fromEntries(BUS_IDENTITIES.map((id) => [id, createBusKey()]));
const keyring = BusKeyring.parse(busKeysSpec(keys), 'LOCKWELL_BUS_KEYS');
const gateway = BusSigner.fromSeed('gateway', keys.gateway!.seed, 'seed');
const vault = BusSigner.fromSeed('vault', keys.vault!.seed, 'seed');
const SUBJECT = 'vault.secret.get';
const CTX = { requestId: 'r1', principal: { userId: 'u1' }, ip: '127.0.0.1', userAgent: null };
const DATA = { secret_id: 's1' };
const NOW = 1_800_000_000_000;

describe('signed call contexts', () => {
  it('verifies a fresh signature of exactly this call and names its signer', () => {
    const signature = signCall(gateway, SUBJECT, CTX, DATA, NOW);
    expect(signature).toMatchObject({ by: 'gateway', iat: NOW });
    expect(signature.nonce.length).toBeGreaterThanOrEqual(16);
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, signature, NOW)).toEqual(signature);
  });

  it('draws a new nonce for every call', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => signCall(gateway, SUBJECT, CTX, DATA, NOW).nonce));
    expect(nonces.size).toBe(50);
  });

  it('refuses another signer, subject, context, payload, time or nonce', () => {
    const signature = signCall(gateway, SUBJECT, CTX, DATA, NOW);
    expect(verifyCall(keyring, 'vault.secret.delete', CTX, DATA, signature, NOW)).toBe('bad-signature');
    expect(verifyCall(keyring, SUBJECT, { ...CTX, principal: { userId: 'u2' } }, DATA, signature, NOW)).toBe(
      'bad-signature',
    );
    expect(verifyCall(keyring, SUBJECT, CTX, { secret_id: 's2' }, signature, NOW)).toBe('bad-signature');
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, { ...signature, iat: NOW + 1 }, NOW)).toBe('bad-signature');
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, { ...signature, nonce: `${signature.nonce}x` }, NOW)).toBe(
      'bad-signature',
    );
    // A service that signs with its own key cannot claim to be the gateway.
    const forged = signCall(vault, SUBJECT, CTX, DATA, NOW);
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, { ...forged, by: 'gateway' }, NOW)).toBe('bad-signature');
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, { ...signature, by: 'root' }, NOW)).toBe('bad-signature');
  });

  it('binds the time budget: a shortened, stretched, added or dropped budgetMs fails', () => {
    const signature = signCall(gateway, SUBJECT, CTX, DATA, NOW, 5000);
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, signature, NOW, 5000)).toEqual(signature);
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, signature, NOW, 1)).toBe('bad-signature');
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, signature, NOW, 50_000)).toBe('bad-signature');
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, signature, NOW, '5000')).toBe('bad-signature');
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, signature, NOW)).toBe('bad-signature');
    const without = signCall(gateway, SUBJECT, CTX, DATA, NOW);
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, without, NOW, null)).toEqual(without);
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, without, NOW, 5000)).toBe('bad-signature');
  });

  it('binds a missing payload as null', () => {
    const signature = signCall(gateway, SUBJECT, CTX, undefined, NOW);
    expect(verifyCall(keyring, SUBJECT, CTX, null, signature, NOW)).toEqual(signature);
    expect(verifyCall(keyring, SUBJECT, CTX, {}, signature, NOW)).toBe('bad-signature');
  });

  it(`accepts a clock difference of up to ${SIGNATURE_MAX_AGE_MS} ms either way, not more`, () => {
    expect(SIGNATURE_MAX_AGE_MS).toBe(60_000);
    const signature = signCall(gateway, SUBJECT, CTX, DATA, NOW);
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, signature, NOW + SIGNATURE_MAX_AGE_MS)).toEqual(signature);
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, signature, NOW - SIGNATURE_MAX_AGE_MS)).toEqual(signature);
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, signature, NOW + SIGNATURE_MAX_AGE_MS + 1)).toBe('stale');
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, signature, NOW - SIGNATURE_MAX_AGE_MS - 1)).toBe('stale');
  });

  it('signs the documented material (lockwell-call-v3) and accepts any nonce of at least 16 characters', () => {
    const nonce = 'n'.repeat(16);
    const material = `lockwell-call-v3\n${SUBJECT}\ngateway\n${NOW}\n${nonce}\n${JSON.stringify(CTX)}\n${JSON.stringify(DATA)}\n5000`;
    const signature = { by: 'gateway', iat: NOW, nonce, sig: gateway.sign(material) };
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, signature, NOW, 5000)).toEqual(signature);
    const short = { ...signature, nonce: 'n'.repeat(15), sig: gateway.sign(material.replace(nonce, 'n'.repeat(15))) };
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, short, NOW, 5000)).toBe('unsigned');
  });

  it('refuses a missing or malformed signature without throwing', () => {
    const { by, nonce, sig } = signCall(gateway, SUBJECT, CTX, DATA, NOW);
    const malformed = [
      undefined,
      null,
      'sig',
      42,
      {},
      { by, iat: NOW, nonce },
      { by, iat: String(NOW), nonce, sig },
      { by: 7, iat: NOW, nonce, sig },
      { by, iat: NOW, nonce: 'short', sig },
      { by, iat: NOW, nonce: 7, sig },
      { by, iat: NOW, nonce, sig: 7 },
    ];
    for (const bad of malformed)
      expect({ bad, result: verifyCall(keyring, SUBJECT, CTX, DATA, bad, NOW) }).toEqual({ bad, result: 'unsigned' });
    expect(verifyCall(keyring, SUBJECT, CTX, DATA, { by, iat: NOW, nonce, sig: '' }, NOW)).toBe('bad-signature');
  });
});
