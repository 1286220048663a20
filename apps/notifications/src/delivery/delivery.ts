/** What an email delivery sends (rendered at dispatch, addressed to the recipient resolved then). */
export interface EmailContent {
  to: string;
  subject: string;
  text: string;
  html: string;
  tenant_id: string | null;
}

/** What a webhook delivery posts: the exact body bytes every attempt signs afresh. */
export interface WebhookContent {
  body: string;
}

export interface DeliveryRow {
  id: string;
  notification_id: string;
  channel: 'email' | 'webhook';
  target: string;
  kind: string;
  tenant_id: string | null;
  user_id: string | null;
  webhook_id: string | null;
  content: EmailContent | WebhookContent;
  attempts: number;
}

export interface NewDelivery {
  notificationId: string;
  channel: 'email' | 'webhook';
  /** The recipient user id (email) or webhook id: one delivery per notification, channel and target. */
  target: string;
  kind: string;
  tenantId: string | null;
  userId: string | null;
  webhookId: string | null;
  content: EmailContent | WebhookContent;
}

/** Capped exponential backoff: base, 2 x base, 4 x base ... never above `max`. */
export const backoffMs = (attempt: number, base: number, max: number): number =>
  Math.min(max, base * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
