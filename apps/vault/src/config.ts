import { defineServiceConfig } from '@lockwell/service-kit';
import { z } from 'zod';

const days = (fallback: number) => z.coerce.number().int().min(1).max(3650).default(fallback);

/** The vault service's settings; the only place it reads the environment (see README "Configuration"). */
export const configSchema = defineServiceConfig({
  /** A secret not read for this many days becomes inactive (StackSpot lifecycle). */
  LOCKWELL_INACTIVE_AFTER_DAYS: days(30),
  /** DELETE ?mode=schedule destroys the secret this many days later. */
  LOCKWELL_DELETION_DELAY_DAYS: days(30),
  /** A secret expiring within this many days raises one `expiring` event. */
  LOCKWELL_EXPIRY_WARNING_DAYS: days(7),
  /** How often the lifecycle job runs (0 disables it in this replica). */
  LOCKWELL_LIFECYCLE_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** Unwrapped data keys stay in memory this long, at most this many (never written anywhere in clear). */
  LOCKWELL_DEK_CACHE_TTL_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
  LOCKWELL_DEK_CACHE_MAX: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /** ENC-5: a data key is replaced after this many encryptions (random 96-bit nonces stay safe below 2^32). */
  LOCKWELL_DEK_MAX_ENCRYPTIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 32)
    .default(2 ** 32),
  /** API-2: at most this many secrets per tenant / per user's personal scope (a create beyond is 409 QUOTA_EXCEEDED). */
  LOCKWELL_MAX_SECRETS_PER_TENANT: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  LOCKWELL_MAX_SECRETS_PER_USER: z.coerce.number().int().min(1).max(10_000_000).default(1_000),
  /** KEY-4: a data key stops encrypting after this many days (NIST SP 800-57: at most 2 years of originator use). */
  LOCKWELL_DEK_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(730).default(365),
});
export type Config = z.output<typeof configSchema>;
