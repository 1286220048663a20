import { z } from 'zod';
import { PageQuery, pageOf, Timestamp, Uuid } from '../common.js';
import { defineRpc } from '../rpc.js';
import { NotificationKind } from './notification.contracts.js';

// Tenant webhooks (docs/api.md "Notifications and audit"): owners and admins (webhooks:manage) manage them.

export const WebhookUrl = z
  .string()
  .max(2048)
  .refine((s) => URL.canParse(s) && ['http:', 'https:'].includes(new URL(s).protocol), { message: 'an http(s) URL' });
export const WebhookStatus = z.enum(['active', 'disabled']);

export const Webhook = z.object({
  id: Uuid,
  tenant_id: Uuid,
  url: z.string(),
  /** The kinds it receives; every kind when the create body named none. */
  events: z.array(NotificationKind),
  description: z.string().nullable(),
  status: WebhookStatus,
  /** Why it was disabled (repeated delivery failure), null while active. */
  disabled_reason: z.string().nullable(),
  created_at: Timestamp,
});
export type Webhook = z.infer<typeof Webhook>;
/** The create answer: the only place the signing secret is ever shown. */
export const WebhookCreated = Webhook.extend({ secret: z.string() });

export const WebhookCreateBody = z
  .object({
    url: WebhookUrl,
    events: z.array(NotificationKind).min(1).max(50).optional(),
    description: z.string().trim().max(500).optional(),
  })
  .strict();
export const WebhookParams = z.object({ tenant_id: Uuid, webhook_id: Uuid }).strict();
export const WebhookListQuery = PageQuery.strict();

/** One delivery attempt of the log (GET .../deliveries): status code or error, never the body. */
export const WebhookAttempt = z.object({
  id: Uuid,
  notification_id: Uuid,
  kind: NotificationKind,
  attempt: z.number().int(),
  attempted_at: Timestamp,
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number().int(),
  succeeded: z.boolean(),
});

export const NotificationsWebhookCreate = defineRpc(
  'notifications.webhook.create',
  WebhookCreateBody.extend({ tenant_id: Uuid }),
  WebhookCreated,
);
export const NotificationsWebhookList = defineRpc(
  'notifications.webhook.list',
  WebhookListQuery.extend({ tenant_id: Uuid }),
  pageOf(Webhook),
);
export const NotificationsWebhookDelete = defineRpc(
  'notifications.webhook.delete',
  WebhookParams,
  z.object({ ok: z.literal(true) }),
);
export const NotificationsWebhookAttempts = defineRpc(
  'notifications.webhook.attempts',
  WebhookParams.extend(WebhookListQuery.shape),
  pageOf(WebhookAttempt),
);

/** The body of every webhook request (docs/api.md "Notifications and audit"): `data` holds metadata only, never a value or a token. */
export const WebhookBody = z.object({
  id: Uuid,
  kind: NotificationKind,
  tenant_id: Uuid,
  created_at: Timestamp,
  data: z.record(z.string(), z.unknown()),
});
export type WebhookBody = z.infer<typeof WebhookBody>;

/**
 * The header every webhook request carries: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
 * the HMAC key being the UTF-8 bytes of the secret as the create answer showed it. Receivers reject a `t` older
 * than WEBHOOK_SIGNATURE_TOLERANCE_SECONDS.
 */
export const WEBHOOK_SIGNATURE_HEADER = 'Lockwell-Signature';
export const WEBHOOK_SIGNATURE_TOLERANCE_SECONDS = 300;
