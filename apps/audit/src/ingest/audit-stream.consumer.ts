import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { AUDIT_RECORDS_CONSUMER, AuditEventData, eventOwnerOf, EventEnvelope } from '@lockwell/contracts';
import { isAuthenticEvent, NATS_BUS, type NatsBus } from '@lockwell/service-kit';
import { AuditIngestService, type IncomingAuditEvent } from './audit-ingest.service.js';

const backoffMs = (attempt: number) => Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
// Events recorded per transaction: a backlog is ingested in batches, a trickle one by one as it comes.
const BATCH = 500;
const PULL = 1000;

/**
 * The durable consumer of the whole LOCKWELL_AUDIT stream (docs/audit.md "From an action to a record"). It starts
 * at the stream's first message, so a new installation (or one whose audit service was down) records the backlog;
 * it is durable, so nothing is skipped across restarts; it never gives up on an event (a database outage is
 * retried with backoff for as long as it lasts). Services never wait for it: they commit to their outbox, the
 * relay publishes to the stream, and the records appear when this consumer gets to them.
 *
 * Messages are appended in stream order, in batches of what has arrived meanwhile (one transaction each); a batch
 * that fails is retried event by event, so one bad event cannot hold the others back.
 */
@Injectable()
export class AuditStreamConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditStreamConsumer');
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;
  private readonly queue: JsMsg[] = [];
  private draining?: Promise<void>;

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    private readonly ingest: AuditIngestService,
  ) {}

  async onApplicationBootstrap() {
    const { stream, durable } = AUDIT_RECORDS_CONSUMER;
    const consumer = await this.bus.durableConsumer(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_deliver: -1,
      max_ack_pending: 2 * PULL,
      // Events handed to an instance that stopped before acknowledging them are redelivered after this.
      ack_wait: 30_000_000_000,
    });
    const messages = await consumer.consume({ max_messages: PULL });
    this.messages = messages;
    this.loop = (async () => {
      for await (const msg of messages) {
        this.queue.push(msg);
        this.draining ??= this.drain().finally(() => (this.draining = undefined));
        if (this.queue.length >= PULL) await this.draining;
      }
      await this.draining;
    })();
  }

  private async drain(): Promise<void> {
    while (this.queue.length) await this.record(this.queue.splice(0, BATCH));
  }

  private async record(batch: JsMsg[]): Promise<void> {
    const valid: { msg: JsMsg; event: IncomingAuditEvent }[] = [];
    for (const msg of batch) {
      const event = this.read(msg);
      if (event) valid.push({ msg, event });
      else msg.term();
    }
    if (!valid.length) return;
    try {
      await this.ingest.append(valid.map((v) => v.event));
      for (const v of valid) v.msg.ack();
      return;
    } catch (err) {
      if (valid.length === 1) {
        const msg = valid[0]!.msg;
        this.logger.warn(
          `audit event ${msg.seq} not recorded yet (attempt ${msg.info.deliveryCount}): ${(err as Error).message}`,
        );
        msg.nak(backoffMs(msg.info.deliveryCount));
        return;
      }
    }
    for (const v of valid) await this.record([v.msg]);
  }

  /** The event in `msg`, or null (logged) when it must never be recorded. */
  private read(msg: JsMsg): IncomingAuditEvent | null {
    if (!isAuthenticEvent(this.bus.credentials.keyring, msg.subject, msg.data, msg.headers)) {
      // Not written by the service its subject names: recording it would let anyone forge history.
      this.logger.warn(`dropped audit event ${msg.seq} on ${msg.subject}: not signed by its owning service`);
      return null;
    }
    try {
      const envelope = EventEnvelope.parse(msg.json());
      return { service: eventOwnerOf(msg.subject), envelope, data: AuditEventData.parse(envelope.data) };
    } catch {
      this.logger.error(`dropped audit event ${msg.seq} on ${msg.subject}: not an audit event of the contract`);
      return null;
    }
  }

  async beforeApplicationShutdown() {
    await this.messages?.close().catch(() => undefined);
    await this.loop?.catch(() => undefined);
  }
}
