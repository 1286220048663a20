import { buildAad, generateToken, open, seal, type MasterKeyRing } from '@lockwell/crypto';

/** Signing secrets are greppable (`lwwhsec_`) and carry 256 random bits. */
export const WEBHOOK_SECRET_PREFIX = 'lwwhsec_';

export const generateWebhookSecret = (): string => generateToken(WEBHOOK_SECRET_PREFIX);

// Bound to the webhook and tenant: a sealed secret copied to another row does not open (ENC-3).
const aad = (tenantId: string, webhookId: string) =>
  buildAad({ purpose: 'webhook-secret', tenant: tenantId, webhook: webhookId });

/** The secret sealed under the active master key (ENC-1: no plaintext column). */
export function sealWebhookSecret(ring: MasterKeyRing, tenantId: string, webhookId: string, secret: string): Buffer {
  return seal(ring.key(ring.activeKeyId), ring.activeKeyId, secret, aad(tenantId, webhookId));
}

export function openWebhookSecret(ring: MasterKeyRing, tenantId: string, webhookId: string, sealed: Buffer): string {
  return open((id) => ring.key(id), sealed, aad(tenantId, webhookId)).toString('utf8');
}
