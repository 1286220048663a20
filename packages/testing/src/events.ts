import { randomUUID } from 'node:crypto';
import {
  eventOwnerOf,
  type BusIdentity,
  type EventContract,
  type EventData,
  type EventEnvelope,
} from '@lockwell/contracts';
import type { NatsHandle } from '@lockwell/local-infra';
import { BusSigner, publishSignedEvent } from '@lockwell/service-kit';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectAs, eventually } from './infra.js';

/**
 * Every event and audit envelope published on a test bus from the moment it is created, as the read-only
 * `observer` sees them (core NATS sees JetStream publishes). `close()` it with the test system.
 */
export class EventLog {
  readonly seen: EventEnvelope<any>[] = [];

  private constructor(private readonly observer: NatsConnection) {
    for (const subject of ['evt.>', 'audit.>']) {
      const sub = observer.subscribe(subject);
      void (async () => {
        for await (const m of sub) this.seen.push(m.json());
      })();
    }
  }

  static async capture(nats: NatsHandle): Promise<EventLog> {
    return new EventLog(await connectAs(nats, 'observer'));
  }

  /** The envelopes on `subject` (an event contract, or a subject such as `audit.tenants.tenant.deleted`) whose data match `where`. */
  on(subject: EventContract | string, where: (data: any) => boolean = () => true): EventEnvelope<any>[] {
    const name = typeof subject === 'string' ? subject : subject.subject;
    return this.seen.filter((e) => e.subject === name && where(e.data));
  }

  /** Waits until at least one matching envelope was seen (the relay publishes after commit). */
  waitFor(
    subject: EventContract | string,
    where: (data: any) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<EventEnvelope<any>[]> {
    return eventually(async () => {
      const found = this.on(subject, where);
      return found.length ? found : null;
    }, timeoutMs);
  }

  close(): Promise<void> {
    return this.observer.close();
  }
}

/**
 * Publishes an event the way its owning service's outbox relay would: with that service's bus credential and
 * signature (a fresh event id each time unless given). For consumers under test whose producer is not running.
 */
export async function publishEvent<E extends EventContract>(
  nats: NatsHandle,
  event: E,
  data: EventData<E>,
  tenantId: string | null,
  id: string = randomUUID(),
): Promise<string> {
  const envelope: EventEnvelope = { id, subject: event.subject, occurredAt: new Date().toISOString(), tenantId, data };
  const owner = eventOwnerOf(event.subject) as BusIdentity;
  const nc = await connectAs(nats, owner);
  try {
    await publishSignedEvent(
      jetstream(nc),
      BusSigner.fromSeed(owner, nats.bus.keys[owner]!.seed, 'test'),
      event.subject,
      JSON.stringify(envelope),
      randomUUID(),
    );
  } finally {
    await nc.close();
  }
  return id;
}
