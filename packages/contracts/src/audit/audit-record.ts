import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';

/**
 * An audit event as services emit it (through their outbox, on `audit.<service>.<action>`). `detail` holds
 * metadata only: never a secret value, password, or raw token (AUD-3).
 */
export const AuditEventData = z.object({
  time: Timestamp,
  tenant_id: Uuid.nullable(),
  actor: z.object({ type: z.enum(['user', 'api_token', 'system', 'anonymous']), id: z.string().nullable() }),
  action: z.string().max(100),
  resource_type: z.string().max(50),
  resource_id: z.string().max(100).nullable(),
  outcome: z.enum(['success', 'failure', 'denied']),
  request_id: z.string().max(128).nullable(),
  ip: z.string().max(64).nullable(),
  user_agent: z.string().max(512).nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEventData = z.infer<typeof AuditEventData>;

/** All audit events share one shape; the subject carries the emitting service and action. */
export const auditSubject = (service: string, action: string) => `audit.${service}.${action}`;
