import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { AUDIT_RECORDS_CONSUMER, AuditEventData, eventOwnerOf, EventEnvelope } from '@lockwell/contracts';
import { isAuthenticEvent, NATS_BUS, type NatsBus } from '@lockwell/service-kit';
import { AuditIngestService } from './audit-ingest.service.js';

const backoffMs = (attempt: number) => Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));

/**
 * The durable consumer of the whole LOCKWELL_AUDIT stream (docs/audit.md "Ingestion"). It starts at the stream's
 * first message, so a new installation (or one whose audit service was down) records the backlog; it is
 * durable, so nothing is skipped across restarts; it never gives up on an event (a database outage is retried
 * with backoff for as long as it lasts). Services never wait for it: they commit to their outbox, the relay
 * publishes to the stream, and the records appear when this consumer gets to them.
 */
@Injectable()
export class AuditStreamConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditStreamConsumer');
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    private readonly ingest: AuditIngestService,
  ) {}

  async onApplicationBootstrap() {
    const { stream, durable } = AUDIT_RECORDS_CONSUMER;
    const jsm = await this.bus.manager();
    try {
      await jsm.consumers.info(stream, durable);
    } catch {
      await jsm.consumers.add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        max_deliver: -1,
        ack_wait: 30_000_000_000,
      });
    }
    const consumer = await this.bus.js.consumers.get(stream, durable);
    const messages = await consumer.consume({ max_messages: 100 });
    this.messages = messages;
    this.loop = (async () => {
      for await (const msg of messages) await this.handle(msg);
    })();
  }

  private async handle(msg: JsMsg): Promise<void> {
    if (!isAuthenticEvent(this.bus.credentials.keyring, msg.subject, msg.data, msg.headers)) {
      // Not written by the service its subject names: recording it would let anyone forge history.
      this.logger.warn(`dropped audit event ${msg.seq} on ${msg.subject}: not signed by its owning service`);
      msg.term();
      return;
    }
    let envelope: EventEnvelope;
    let data: AuditEventData;
    try {
      envelope = EventEnvelope.parse(msg.json());
      data = AuditEventData.parse(envelope.data);
    } catch {
      this.logger.error(`dropped audit event ${msg.seq} on ${msg.subject}: not an audit event of the contract`);
      msg.term();
      return;
    }
    try {
      await this.ingest.append(eventOwnerOf(msg.subject), envelope, data);
      msg.ack();
    } catch (err) {
      this.logger.warn(`audit event ${msg.seq} not recorded yet (attempt ${msg.info.deliveryCount}): ${(err as Error).message}`);
      msg.nak(backoffMs(msg.info.deliveryCount));
    }
  }

  async beforeApplicationShutdown() {
    await this.messages?.close().catch(() => undefined);
    await this.loop?.catch(() => undefined);
  }
}
