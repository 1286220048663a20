import { hmacSha256Hex } from '@lockwell/crypto';

/**
 * The Lockwell-Signature header value (docs/api.md "Notifications and audit"): `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
 * keyed with the UTF-8 bytes of the secret exactly as the create answer showed it. Every attempt signs afresh.
 */
export function signWebhookBody(secret: string, rawBody: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmacSha256Hex(Buffer.from(secret, 'utf8'), `${t}.${rawBody}`)}`;
}
