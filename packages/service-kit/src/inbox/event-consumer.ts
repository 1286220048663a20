import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AckPolicy, DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { consumerContractFor, EventEnvelope, type EventContract, type EventData } from '@lockwell/contracts';
import { NATS_BUS, SERVICE_NAME } from '../tokens.js';
import type { NatsBus } from '../nats/nats-connection.js';
import { isAuthenticEvent } from '../nats/event-signature.js';

export type EventHandler<E extends EventContract> = (
  data: EventData<E>,
  envelope: EventEnvelope<EventData<E>>,
  em: EntityManager,
) => Promise<void>;

const MAX_DELIVER = 25;
const backoffMs = (attempt: number) => Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));

/**
 * Durable, idempotent JetStream consumption. Each (service, name, subject) gets its own durable pull
 * consumer, so replicas share the work and nothing is lost while the service is down. The handler runs in
 * a transaction together with the insert of (consumer, event id) into processed_events: a redelivered
 * event finds its row and is acknowledged without running the handler again. An event not signed by the
 * service owning its subject is dropped unapplied (`term`, logged), whatever the bus let through.
 */
@Injectable()
export class EventConsumers {
  private readonly logger = new Logger('EventConsumers');
  private readonly running: ConsumerMessages[] = [];
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly orm: MikroORM,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /**
   * Starts consuming `event` under the durable name `<service>-<name>`, which must be declared with
   * defineConsumer in packages/contracts (the bus permits only declared consumers). Call from onApplicationBootstrap.
   */
  async subscribe<E extends EventContract>(name: string, event: E, handler: EventHandler<E>): Promise<void> {
    const declared = consumerContractFor(this.service, name);
    if (!declared || declared.event.subject !== event.subject) {
      throw new Error(
        `consumer ${this.service}/${name} of ${event.subject} is not declared (defineConsumer in packages/contracts/src/bus/topology.ts)`,
      );
    }
    const { durable, stream } = declared;
    const consumer = await this.bus.durableConsumer(stream, {
      durable_name: durable,
      filter_subject: event.subject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_deliver: MAX_DELIVER,
      ack_wait: 30_000_000_000,
    });
    const messages = await consumer.consume({ max_messages: 50 });
    this.running.push(messages);
    this.loops.push(
      (async () => {
        for await (const msg of messages) {
          if (!isAuthenticEvent(this.bus.credentials.keyring, msg.subject, msg.data, msg.headers)) {
            this.logger.warn(
              `${durable}: dropped event ${msg.seq} on ${msg.subject}: not signed by its owning service`,
            );
            msg.term();
            continue;
          }
          try {
            const envelope = EventEnvelope.parse(msg.json());
            const data = event.data.parse(envelope.data) as EventData<E>;
            await this.applyOnce(durable, envelope as EventEnvelope<EventData<E>>, (em) =>
              handler(data, envelope as EventEnvelope<EventData<E>>, em),
            );
            msg.ack();
          } catch (err) {
            this.logger.warn(
              `${durable}: event ${msg.seq} failed (attempt ${msg.info.deliveryCount}): ${(err as Error).message}`,
            );
            msg.nak(backoffMs(msg.info.deliveryCount));
          }
        }
      })(),
    );
  }

  private async applyOnce(consumer: string, envelope: EventEnvelope, run: (em: EntityManager) => Promise<void>) {
    const em = this.orm.em.fork() as EntityManager;
    await em.transactional(async (tx) => {
      const inserted = await tx.execute<{ event_id: string }[]>(
        `insert into processed_events (consumer, event_id, processed_at) values (?, ?, now()) on conflict do nothing returning event_id`,
        [consumer, envelope.id],
      );
      if (inserted.length) await run(tx);
    });
  }

  /** Stops every consumer loop (called by KitLifecycle before the bus closes). */
  async stop() {
    for (const m of this.running) await m.close().catch(() => undefined);
    await Promise.allSettled(this.loops);
  }
}
