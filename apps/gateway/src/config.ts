import { INTERNAL_KEY_REQUIRED, requireInternalKeyInProduction, serviceConfigFields } from '@lockwell/service-kit';
import { z } from 'zod';

/** The gateway's settings (README "Configuration"); the only place it reads the environment. */
export const configSchema = z
  .object({
    NODE_ENV: serviceConfigFields.NODE_ENV,
    LOCKWELL_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    LOCKWELL_HOST: z.string().min(1).default('127.0.0.1'),
    NATS_URL: serviceConfigFields.NATS_URL,
    LOG_LEVEL: serviceConfigFields.LOG_LEVEL,
    RPC_TIMEOUT_MS: serviceConfigFields.RPC_TIMEOUT_MS,
    LOCKWELL_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
    /** Comma-separated IPs/CIDRs whose X-Forwarded-For we believe; none by default (PW-4). */
    LOCKWELL_TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean)),
    /** Bearer token a Prometheus scraper presents at /metrics; without it, production hides the route. */
    LOCKWELL_METRICS_TOKEN: z.string().min(16).optional(),
    /** Public base URL, used in the OpenAPI document and OAuth redirects. */
    LOCKWELL_PUBLIC_URL: z.url().optional(),
    LOCKWELL_INTERNAL_KEY: serviceConfigFields.LOCKWELL_INTERNAL_KEY,
    /** The built web console; defaults to apps/console/dist of this checkout. */
    LOCKWELL_CONSOLE_DIR: z.string().min(1).optional(),
  })
  .refine(requireInternalKeyInProduction, INTERNAL_KEY_REQUIRED);
export type Config = z.output<typeof configSchema>;
