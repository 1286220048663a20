import { Inject, Injectable } from '@nestjs/common';
import type { MasterKeyRing } from '@lockwell/crypto';
import { MASTER_KEY_RING } from '@lockwell/service-kit';
import { generateWebhookSecret, openWebhookSecret, sealWebhookSecret } from './webhook-secret.js';

/** Webhook signing secrets under the master key ring: a fresh one sealed for storage, a stored one opened to sign. */
@Injectable()
export class WebhookSecrets {
  constructor(@Inject(MASTER_KEY_RING) private readonly ring: MasterKeyRing) {}

  generate(tenantId: string, webhookId: string): { secret: string; sealed: Buffer } {
    const secret = generateWebhookSecret();
    return { secret, sealed: sealWebhookSecret(this.ring, tenantId, webhookId, secret) };
  }

  open(tenantId: string, webhookId: string, sealed: Buffer): string {
    return openWebhookSecret(this.ring, tenantId, webhookId, Buffer.from(sealed));
  }
}
