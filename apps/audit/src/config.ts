import { defineServiceConfig } from '@lockwell/service-kit';
import { z } from 'zod';

/** The audit service's settings; the only place it reads the environment (see README "Configuration"). */
export const configSchema = defineServiceConfig({
  /** How often every chain whose head moved gets a signed checkpoint (head hash and count); 0 disables the job in this replica. */
  LOCKWELL_AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  /** Records older than this many days are pruned, whole chain prefixes behind a checkpoint at a time; 0 keeps everything. */
  LOCKWELL_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
});
export type Config = z.output<typeof configSchema>;
