import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type Consumer,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { STREAMS } from '@lockwell/contracts';
import { natsConnectOptions, type BusCredentials } from './bus-credentials.js';

const nanos = (ms: number) => ms * 1_000_000;
// JetStream API calls (stream and consumer set-up, publishes) wait this long for the server: longer than
// nats.js's 5 s default, because a start on a loaded host must not fail on a slow answer.
const JS_API_TIMEOUT_MS = 15_000;

/** A raw NATS connection for JetStream publishing/consuming and core broadcasts (Nest's proxy does RPC). */
export class NatsBus {
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly credentials: BusCredentials,
  ) {}

  static async connect(credentials: BusCredentials, name: string): Promise<NatsBus> {
    const nc = await connect(natsConnectOptions(credentials, name));
    return new NatsBus(nc, jetstream(nc, { timeout: JS_API_TIMEOUT_MS }), credentials);
  }

  /** A JetStream manager on this connection (stream and consumer administration). */
  manager(): Promise<JetStreamManager> {
    return jetstreamManager(this.nc, { timeout: JS_API_TIMEOUT_MS });
  }

  /**
   * The durable pull consumer `config.durable_name` of `stream`, created with `config` if it does not exist yet (an
   * existing one keeps its configuration: replicas and restarts share it).
   */
  async durableConsumer(stream: string, config: Partial<ConsumerConfig> & { durable_name: string }): Promise<Consumer> {
    const jsm = await this.manager();
    try {
      await jsm.consumers.info(stream, config.durable_name);
    } catch {
      await jsm.consumers.add(stream, config);
    }
    return this.js.consumers.get(stream, config.durable_name);
  }

  /** Creates the design's streams if missing; a second call (or another service) changes nothing. */
  async ensureStreams(): Promise<void> {
    const jsm = await this.manager();
    const existing = new Set<string>();
    for await (const s of jsm.streams.list()) existing.add(s.config.name);
    for (const stream of Object.values(STREAMS)) {
      if (existing.has(stream.name)) continue;
      try {
        await jsm.streams.add({
          name: stream.name,
          subjects: [...stream.subjects],
          retention: RetentionPolicy.Limits,
          storage: StorageType.File,
          max_age: nanos(30 * 24 * 3600 * 1000),
          duplicate_window: nanos(2 * 60 * 1000),
        });
      } catch (err) {
        // Another service created it between our list and add: that is the idempotent outcome we want. nats-server
        // answers that race with "already in use" or, when the other add landed first, "subjects overlap"; either
        // way the stream must now exist under our name, or the error was real.
        const message = String((err as Error).message);
        if (!message.includes('already in use') && !message.includes('subjects overlap')) throw err;
        await jsm.streams.info(stream.name).catch(() => {
          throw err;
        });
      }
    }
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}
