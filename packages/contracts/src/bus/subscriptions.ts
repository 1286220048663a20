import { STREAMS, type EventContract } from '../events.js';
import type { BusIdentity, ServiceName } from './identities.js';

/**
 * A durable JetStream consumer of one service on one event subject. Its name is part of the bus permissions
 * (a service may only create, read and acknowledge its own consumers), so every consumer is declared here.
 */
export interface ConsumerContract {
  readonly service: ServiceName;
  /** The short name the service subscribes with; the durable is `<service>-<name>`. */
  readonly name: string;
  readonly event: EventContract;
  readonly durable: string;
  readonly stream: string;
}

const consumers = new Map<string, ConsumerContract>();

/** The durable name of a consumer: `<service>-<name>`, restricted to what JetStream and NATS subjects allow. */
export const durableName = (service: string, name: string): string =>
  `${service}-${name}`.replace(/[^A-Za-z0-9_-]/g, '_');

/** The stream that captures an event subject. */
export const streamOf = (subject: string): string =>
  subject.startsWith('audit.') ? STREAMS.AUDIT.name : STREAMS.EVENTS.name;

/** Declares that `service` consumes `event` durably under `name` (each pair once). */
export function defineConsumer(service: ServiceName, name: string, event: EventContract): ConsumerContract {
  const durable = durableName(service, name);
  if (consumers.has(durable)) throw new Error(`duplicate consumer ${durable}`);
  const contract = { service, name, event, durable, stream: streamOf(event.subject) };
  consumers.set(durable, contract);
  return contract;
}
export const allConsumerContracts = (): ConsumerContract[] => [...consumers.values()];
export const consumerContractFor = (service: string, name: string): ConsumerContract | undefined =>
  consumers.get(durableName(service, name));

/**
 * A durable consumer of a whole stream, unfiltered (the audit service reads every `audit.<service>.…` event of
 * LOCKWELL_AUDIT, in stream order). Declared like the others: its name is part of the bus permissions.
 */
export interface StreamConsumerContract {
  readonly service: ServiceName;
  readonly name: string;
  readonly durable: string;
  readonly stream: string;
}
const streamConsumers = new Map<string, StreamConsumerContract>();

export function defineStreamConsumer(service: ServiceName, name: string, stream: string): StreamConsumerContract {
  const durable = durableName(service, name);
  if (consumers.has(durable) || streamConsumers.has(durable)) throw new Error(`duplicate consumer ${durable}`);
  const contract = { service, name, durable, stream };
  streamConsumers.set(durable, contract);
  return contract;
}
export const allStreamConsumerContracts = (): StreamConsumerContract[] => [...streamConsumers.values()];

/**
 * A plain (core NATS) subscription to an event subject, for processes that need every event in every replica
 * (the gateway's cache invalidation) rather than a share of a durable consumer.
 */
export interface ListenerContract {
  readonly identity: BusIdentity;
  readonly event: EventContract;
}
const listeners: ListenerContract[] = [];

export function defineListener(identity: BusIdentity, event: EventContract): ListenerContract {
  const contract = { identity, event };
  listeners.push(contract);
  return contract;
}
export const allListenerContracts = (): ListenerContract[] => [...listeners];
