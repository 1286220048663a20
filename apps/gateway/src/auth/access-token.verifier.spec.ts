import { jest } from '@jest/globals';
import type { RpcClient } from '@lockwell/service-kit';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { AccessTokenVerifier } from './access-token.verifier.js';
import { CLOCK_SKEW_SECONDS, VERIFIED_TOKEN_CACHE_TTL_MS } from './auth.constants.js';
import { JwksCache } from './jwks.cache.js';

// The verifier remembers tokens it verified (by their exact bytes). These prove that remembering never accepts
// what a full verification would refuse: an expired token, a token whose key left the JWKS, a changed byte.
const ISSUER = 'http://lockwell.test';
const AUDIENCE = 'lockwell-api';
const T0 = Date.parse('2026-12-01T10:00:00Z');

async function signer(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const sign = (ttlSeconds = 600) =>
    new SignJWT({ sid: randomUUID(), jti: randomUUID() })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .setSubject(randomUUID())
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setNotBefore(Math.floor(Date.now() / 1000))
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(privateKey as CryptoKey);
  return { jwk, sign };
}

/** A JwksCache over an identity that publishes `published.keys` (changeable by the test). */
function verifierOver(published: { keys: JWK[] }) {
  const rpc = {
    request: async () => ({ keys: published.keys, issuer: ISSUER, audience: AUDIENCE, algorithm: 'EdDSA' }),
  } as unknown as RpcClient;
  const jwks = new JwksCache(rpc);
  return { verifier: new AccessTokenVerifier(jwks), jwks };
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe('AccessTokenVerifier', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    jest.setSystemTime(T0);
  });
  afterEach(() => jest.useRealTimers());

  it('answers a remembered token as verified, and refuses it once expired (with the tolerated skew)', async () => {
    const k = await signer('k1');
    const { verifier } = verifierOver({ keys: [k.jwk] });
    const token = await k.sign(120);
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).toEqual(first);
    jest.setSystemTime(T0 + (120 + CLOCK_SKEW_SECONDS - 1) * 1000);
    expect(await outcome(verifier.verify(token))).toBe('accepted');
    jest.setSystemTime(T0 + (120 + CLOCK_SKEW_SECONDS) * 1000);
    expect(await outcome(verifier.verify(token))).toBe('UNAUTHENTICATED');
  });

  it('refuses a remembered token whose signing key left the JWKS once the key set is fetched again', async () => {
    const old = await signer('k1');
    const next = await signer('k2');
    const published = { keys: [old.jwk] };
    const { verifier, jwks } = verifierOver(published);
    const token = await old.sign();
    expect(await outcome(verifier.verify(token))).toBe('accepted');
    published.keys = [next.jwk];
    jwks.invalidate();
    expect(await outcome(verifier.verify(token))).toBe('UNAUTHENTICATED');
    expect(await outcome(verifier.verify(await next.sign()))).toBe('accepted');
  });

  it('verifies again after the remembering period, and never accepts a token differing by one byte', async () => {
    const k = await signer('k1');
    const { verifier } = verifierOver({ keys: [k.jwk] });
    const token = await k.sign();
    await verifier.verify(token);
    const [head, body, sig] = token.split('.');
    const flipped = `${head}.${body}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BA' : 'AA'}`;
    expect(await outcome(verifier.verify(flipped))).toBe('UNAUTHENTICATED');
    jest.setSystemTime(T0 + VERIFIED_TOKEN_CACHE_TTL_MS + 1);
    expect(await outcome(verifier.verify(token))).toBe('accepted');
  });
});
