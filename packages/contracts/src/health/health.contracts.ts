import { z } from 'zod';
import { defineRpc } from '../rpc.js';
import { SERVICE_NAMES, type ServiceName } from '../services.js';

export const HealthReport = z.object({
  service: z.string(),
  status: z.enum(['ok', 'degraded']),
  database: z.boolean(),
  version: z.string(),
  /** Service-specific gauges, e.g. the audit consumer's lag (`audit_consumer_pending`: events not yet recorded). */
  figures: z.record(z.string(), z.number()).optional(),
});
export type HealthReport = z.infer<typeof HealthReport>;

/** `<service>.health.check` for each service, answered by the service kit. */
export const HealthCheck = Object.fromEntries(
  SERVICE_NAMES.map((s) => [s, defineRpc(`${s}.health.check`, z.object({}), HealthReport)]),
) as Record<ServiceName, ReturnType<typeof defineRpc<z.ZodObject<{}>, typeof HealthReport>>>;
