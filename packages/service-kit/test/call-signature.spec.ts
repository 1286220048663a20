import { createHmac } from 'node:crypto';
import { SIGNATURE_MAX_AGE_MS, signCall, verifyCall } from '../src/rpc/call-signature.js';

// AZ-5: a service acts on a principal only when the call context is signed with the internal key, for this
// subject and payload, and recently. Each property below fails if its check is removed or loosened.
const KEY = 'an-internal-key-of-enough-length-0123456789';
const SUBJECT = 'vault.secret.get';
const CTX = { requestId: 'r1', principal: { userId: 'u1' }, ip: '127.0.0.1', userAgent: null };
const DATA = { secret_id: 's1' };
const NOW = 1_800_000_000_000;

describe('signed call contexts', () => {
  it('verifies a fresh signature of exactly this call', () => {
    const signature = signCall(KEY, SUBJECT, CTX, DATA, NOW);
    expect(signature.iat).toBe(NOW);
    expect(verifyCall(KEY, SUBJECT, CTX, DATA, signature, NOW)).toBe(true);
  });

  it('is an HMAC-SHA256 over subject, time, context and payload, one per line', () => {
    const expected = createHmac('sha256', KEY).update(`${SUBJECT}\n${NOW}\n${JSON.stringify(CTX)}\n${JSON.stringify(DATA)}`).digest('hex');
    expect(signCall(KEY, SUBJECT, CTX, DATA, NOW).sig).toBe(expected);
    const noData = createHmac('sha256', KEY).update(`${SUBJECT}\n${NOW}\n${JSON.stringify(CTX)}\nnull`).digest('hex');
    expect(signCall(KEY, SUBJECT, CTX, undefined, NOW).sig).toBe(noData);
  });

  it('refuses another key, subject, context or payload', () => {
    const signature = signCall(KEY, SUBJECT, CTX, DATA, NOW);
    expect(verifyCall(`${KEY}x`, SUBJECT, CTX, DATA, signature, NOW)).toBe(false);
    expect(verifyCall(KEY, 'vault.secret.delete', CTX, DATA, signature, NOW)).toBe(false);
    expect(verifyCall(KEY, SUBJECT, { ...CTX, principal: { userId: 'u2' } }, DATA, signature, NOW)).toBe(false);
    expect(verifyCall(KEY, SUBJECT, CTX, { secret_id: 's2' }, signature, NOW)).toBe(false);
    expect(verifyCall(KEY, SUBJECT, CTX, DATA, { ...signature, iat: NOW + 1 }, NOW)).toBe(false);
    expect(verifyCall(KEY, SUBJECT, CTX, DATA, { ...signature, sig: signature.sig.replace(/^./, (c) => (c === '0' ? '1' : '0')) }, NOW)).toBe(false);
  });

  it(`accepts a clock difference of up to ${SIGNATURE_MAX_AGE_MS} ms either way, not more`, () => {
    expect(SIGNATURE_MAX_AGE_MS).toBe(60_000);
    const signature = signCall(KEY, SUBJECT, CTX, DATA, NOW);
    expect(verifyCall(KEY, SUBJECT, CTX, DATA, signature, NOW + SIGNATURE_MAX_AGE_MS)).toBe(true);
    expect(verifyCall(KEY, SUBJECT, CTX, DATA, signature, NOW - SIGNATURE_MAX_AGE_MS)).toBe(true);
    expect(verifyCall(KEY, SUBJECT, CTX, DATA, signature, NOW + SIGNATURE_MAX_AGE_MS + 1)).toBe(false);
    expect(verifyCall(KEY, SUBJECT, CTX, DATA, signature, NOW - SIGNATURE_MAX_AGE_MS - 1)).toBe(false);
  });

  it('refuses a missing or malformed signature without throwing', () => {
    const { sig } = signCall(KEY, SUBJECT, CTX, DATA, NOW);
    for (const bad of [undefined, null, 'sig', 42, {}, { iat: NOW }, { sig }, { iat: String(NOW), sig }, { iat: NOW, sig: 7 }, { iat: NOW, sig: '' }]) {
      expect({ bad, ok: verifyCall(KEY, SUBJECT, CTX, DATA, bad, NOW) }).toEqual({ bad, ok: false });
    }
  });
});
