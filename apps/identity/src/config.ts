import { defineServiceConfig } from '@lockwell/service-kit';
import { z } from 'zod';

const seconds = (min: number, max: number, dflt: number) => z.coerce.number().int().min(min).max(max).default(dflt);
const DAY = 86_400;

/** The identity service's settings; the only place it reads the environment (see README "Identity and access"). */
export const configSchema = defineServiceConfig({
  /** Bootstrap administrator, created on first start when no admin exists. */
  LOCKWELL_ADMIN_EMAIL: z.string().trim().toLowerCase().pipe(z.email()).default('admin@lockwell.local'),
  /** Unset: a strong password is generated and written to LOCKWELL_GENERATED_ADMIN_PASSWORD_FILE (never logged). */
  LOCKWELL_ADMIN_PASSWORD: z.string().min(8).max(1024).optional(),
  /** Where a generated bootstrap password goes (mode 0600, replaced atomically); relative to the working directory. */
  LOCKWELL_GENERATED_ADMIN_PASSWORD_FILE: z.string().min(1).default('lockwell-admin-password'),
  LOCKWELL_JWT_ISSUER: z.string().min(1).max(200).default('lockwell'),
  LOCKWELL_JWT_AUDIENCE: z.string().min(1).max(200).default('lockwell-api'),
  LOCKWELL_ACCESS_TOKEN_TTL_SECONDS: seconds(30, 3600, 600),
  LOCKWELL_REFRESH_IDLE_TTL_SECONDS: seconds(60, 90 * DAY, 7 * DAY),
  LOCKWELL_REFRESH_ABSOLUTE_TTL_SECONDS: seconds(60, 365 * DAY, 30 * DAY),
  LOCKWELL_SIGNING_KEY_ROTATION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LOCKWELL_API_TOKEN_DEFAULT_TTL_SECONDS: seconds(60, 365 * DAY, 3600),
  LOCKWELL_API_TOKEN_MAX_TTL_SECONDS: seconds(60, 2 * 365 * DAY, 90 * DAY),
  LOCKWELL_LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(5),
  LOCKWELL_LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(50),
  LOCKWELL_LOGIN_FAILURE_WINDOW_SECONDS: seconds(10, DAY, 900),
  LOCKWELL_LOGIN_LOCKOUT_BASE_SECONDS: seconds(1, 3600, 2),
  LOCKWELL_LOGIN_LOCKOUT_MAX_SECONDS: seconds(1, DAY, 900),
  /** argon2id cost; never below the OWASP minimum (PW-1). Raising them rehashes passwords on the next login. */
  LOCKWELL_ARGON2_MEMORY_KIB: z.coerce.number().int().min(19_456).max(4_194_304).default(19_456),
  LOCKWELL_ARGON2_TIME_COST: z.coerce.number().int().min(2).max(20).default(2),
});
export type Config = z.output<typeof configSchema>;
