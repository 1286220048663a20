import { busConfigFields, refineBusConfig } from '@lockwell/service-kit';
import { z } from 'zod';

/** The gateway's settings (README "Configuration"); the only place it reads the environment. */
export const configSchema = refineBusConfig(
  z.object({
    ...busConfigFields,
    LOCKWELL_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    LOCKWELL_HOST: z.string().min(1).default('127.0.0.1'),
    LOCKWELL_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(1024 * 1024),
    /** Comma-separated IPs/CIDRs whose X-Forwarded-For we believe; none by default (PW-4). */
    LOCKWELL_TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      ),
    /** Bearer token a Prometheus scraper presents at /metrics; without it, production hides the route. */
    LOCKWELL_METRICS_TOKEN: z.string().min(16).optional(),
    /**
     * API-2: requests per window per client IP (every route) and per identity (user or API token, every
     * authenticated route). Generous so people and pipelines never notice them; they stop floods.
     */
    LOCKWELL_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).max(10_000_000).default(3000),
    LOCKWELL_RATE_LIMIT_PER_IDENTITY: z.coerce.number().int().min(1).max(10_000_000).default(1200),
    LOCKWELL_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** Public base URL, used in the OpenAPI document and OAuth redirects. */
    LOCKWELL_PUBLIC_URL: z.url().optional(),
    /** The built web console; defaults to apps/console/dist of this checkout. */
    LOCKWELL_CONSOLE_DIR: z.string().min(1).optional(),
  }),
);
export type Config = z.output<typeof configSchema>;

/** The DI token of the gateway's Config. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
