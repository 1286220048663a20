import { defineServiceConfig } from '@lockwell/service-kit';
import { z } from 'zod';

/** The connectors service's settings; the only place it reads the environment (see README "Configuration"). */
export const configSchema = defineServiceConfig({
  /** Public base URL of the gateway: the default OAuth redirect URI is `<it>/api/v1/services/oauth/callback`. */
  LOCKWELL_PUBLIC_URL: z.url().optional(),
  /** Comma-separated URL prefixes a flow's `return_to` may start with (paths on the gateway's own origin always may). */
  LOCKWELL_CONNECTORS_RETURN_URLS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  /** Lets `browser_binding: false` flows complete on the state alone (curl walk-throughs); refused in production. */
  LOCKWELL_CONNECTORS_ALLOW_UNBOUND_AUTHORIZATION: z.stringbool().optional(),
  /** How often each replica looks for tokens due for a proactive refresh (0 disables it in this replica). */
  LOCKWELL_CONNECTORS_REFRESH_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  /** Deadline of one HTTP request to a provider (OC-7). */
  LOCKWELL_CONNECTORS_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Largest provider response read (OC-7); beyond it the response is refused as PROVIDER_ERROR. */
  LOCKWELL_CONNECTORS_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(10 * 1024 * 1024)
    .default(65_536),
})
  .refine((c) => !(c.NODE_ENV === 'production' && c.LOCKWELL_CONNECTORS_ALLOW_UNBOUND_AUTHORIZATION), {
    path: ['LOCKWELL_CONNECTORS_ALLOW_UNBOUND_AUTHORIZATION'],
    message: 'production binds every authorisation to the browser that started it (RFC 6749 §10.12)',
  })
  .refine(
    (c) =>
      c.NODE_ENV !== 'production' ||
      c.LOCKWELL_PUBLIC_URL === undefined ||
      c.LOCKWELL_PUBLIC_URL.startsWith('https://'),
    {
      path: ['LOCKWELL_PUBLIC_URL'],
      message: 'production needs an https:// public URL (it is the OAuth redirect URI)',
    },
  );
export type Config = z.output<typeof configSchema>;
