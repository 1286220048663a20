import { defineServiceConfig } from '@lockwell/service-kit';
import { z } from 'zod';

const ms = (fallback: number, max = 86_400_000) => z.coerce.number().int().min(0).max(max).default(fallback);
/** `30,7,1`: whole days before a date, each at least 1, largest first once parsed. */
const leadDays = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) => s.split(',').map((d) => Number(d.trim())))
    .refine(
      (days) => days.length > 0 && days.length <= 10 && days.every((d) => Number.isInteger(d) && d >= 1 && d <= 365),
      { message: 'comma-separated whole days between 1 and 365' },
    )
    .transform((days) => [...new Set(days)].sort((a, b) => b - a));

/** The notifications service's settings; the only place it reads the environment (see README "Configuration"). */
export const configSchema = defineServiceConfig({
  /** `smtp://user:pass@host:port` or `smtps://…`; unset: no email (the inbox and webhooks still work). `npm start` points it at its mail catcher. */
  SMTP_URL: z.string().url().optional(),
  /** The From of every mail. */
  LOCKWELL_MAIL_FROM: z.string().max(320).default('Lockwell <no-reply@lockwell.local>'),
  /** Public base URL of the console, for the "what to do next" links in messages. */
  LOCKWELL_PUBLIC_URL: z.string().url().optional(),
  /** Expiry reminders, days before `expires_at` (and one on expiry). */
  LOCKWELL_EXPIRY_REMINDER_DAYS: leadDays('30,7,1'),
  /** Scheduled-deletion reminders, days before the deletion date (StackSpot's 15, 10 and 1). */
  LOCKWELL_DELETION_REMINDER_DAYS: leadDays('15,10,1'),
  /** How often the reminder scheduler runs: at least once a minute; 0 disables it in this replica. */
  LOCKWELL_REMINDER_INTERVAL_MS: ms(30_000, 60_000),
  /** How often queued notifications are dispatched and deliveries attempted; 0 disables both in this replica. */
  LOCKWELL_DELIVERY_POLL_MS: ms(1_000, 60_000),
  /** Attempts of one email or webhook delivery before it is given up, with capped exponential backoff between them. */
  LOCKWELL_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  LOCKWELL_DELIVERY_BACKOFF_BASE_MS: ms(5_000),
  LOCKWELL_DELIVERY_BACKOFF_MAX_MS: ms(900_000),
  /** A webhook is disabled (and its tenant's owners told) after this many failed attempts in a row. */
  LOCKWELL_WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(20),
  /** Per webhook request: connect + answer within this time, or the attempt failed. */
  LOCKWELL_WEBHOOK_TIMEOUT_MS: ms(5_000, 60_000),
});
export type Config = z.output<typeof configSchema>;
