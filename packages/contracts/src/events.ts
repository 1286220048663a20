import { z } from 'zod';
import { Timestamp, Uuid } from './common.js';
import { SERVICE_NAMES, serviceNamesPattern } from './services.js';

/** JetStream streams the services create idempotently at start (docs/architecture.md "Messages"). */
// The audit stream lists `audit.<service>.>` per emitting service rather than `audit.>`: the audit
// service's own request/reply subjects (`audit.<resource>.<verb>`) must not be captured by the stream.
export const STREAMS = {
  EVENTS: { name: 'LOCKWELL_EVENTS', subjects: ['evt.>'] },
  AUDIT: { name: 'LOCKWELL_AUDIT', subjects: SERVICE_NAMES.map((s) => `audit.${s}.>`) },
} as const;

export interface EventContract<D extends z.ZodType = z.ZodType> {
  readonly subject: string;
  readonly data: D;
}
export type EventData<E extends EventContract> = z.output<E['data']>;

export const EVENT_SUBJECT_PATTERN = new RegExp(
  `^(evt|audit)\\.${serviceNamesPattern()}\\.[a-z][a-z-]*(\\.[a-z][a-z-]*)?$`,
);

const registry = new Map<string, EventContract>();

/** Declares a durable event: `evt.<service>.<fact>` (state changes) or `audit.<service>.<action>`. */
export function defineEvent<D extends z.ZodType>(subject: string, data: D): EventContract<D> {
  if (registry.has(subject)) throw new Error(`duplicate event subject ${subject}`);
  const contract = { subject, data };
  registry.set(subject, contract);
  return contract;
}
export const allEventContracts = (): EventContract[] => [...registry.values()];

/** Every event on the bus is wrapped like this; `id` is the idempotency key consumers dedupe on. */
export const EventEnvelope = z.object({
  id: Uuid,
  subject: z.string(),
  occurredAt: Timestamp,
  tenantId: Uuid.nullable(),
  data: z.unknown(),
});
export type EventEnvelope<D = unknown> = {
  id: string;
  subject: string;
  occurredAt: string;
  tenantId: string | null;
  data: D;
};
