import { createHmac } from 'node:crypto';
import { signWebhookBody } from './webhook-signature.js';

describe('signWebhookBody', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 keyed with the secret\'s UTF-8 bytes over "<t>.<raw body>">', () => {
    const body = '{"id":"x","kind":"member.added"}';
    const at = new Date('2026-12-04T17:00:00.900Z');
    const expected = createHmac('sha256', 'lwwhsec_abc').update(`1796403600.${body}`).digest('hex');
    expect(signWebhookBody('lwwhsec_abc', body, at)).toBe(`t=1796403600,v1=${expected}`);
  });
});
