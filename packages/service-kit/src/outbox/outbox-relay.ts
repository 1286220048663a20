import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NATS_BUS } from '../tokens.js';
import type { NatsBus } from '../nats/nats-connection.js';
import { publishSignedEvent } from '../nats/event-signature.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { outsideCallDeadline } from '../rpc/call-deadline.js';

const BATCH = 200;
const POLL_MS = 250;
const PUBLISHED_POLL_MS = 5;

/**
 * Publishes committed outbox rows to JetStream and deletes them. Rows are claimed with
 * FOR UPDATE SKIP LOCKED so replicas never publish the same batch concurrently, and each message carries
 * its event id as Nats-Msg-Id, so a crash between publish and delete is deduplicated by the stream, and
 * this service's signature, so consumers can tell the event really comes from the service owning its subject.
 * It runs on a short poll and is kicked right after commits that wrote outbox rows.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap {
  private readonly logger = new Logger('OutboxRelay');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private queued = false;

  constructor(
    private readonly orm: MikroORM,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
  ) {}

  onApplicationBootstrap() {
    // Publish right after a commit that queued events instead of waiting for the next poll (event latency
    // in ms). Only transactions that inserted outbox rows count: kicking on every commit, the relay's own
    // included, would make it chase its own deletes in a busy loop.
    const events = this.orm.em.getEventManager();
    events.registerSubscriber({
      getSubscribedEntities: () => [OutboxMessage],
      afterCreate: () => void (this.queued = true),
    });
    events.registerSubscriber({
      afterTransactionCommit: () => {
        if (!this.queued) return;
        this.queued = false;
        this.kick();
      },
    });
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
  }

  /** Stops polling and waits for the pass in flight (called by KitLifecycle before the bus closes). */
  async stop() {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Asks for a drain now; concurrent kicks collapse into one extra pass. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.logger.warn(`outbox relay pass failed: ${(err as Error).message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Publishes until the outbox is empty; resolves when done (tests await it). Never bound to a caller's deadline. */
  drain(): Promise<void> {
    return outsideCallDeadline(async () => {
      for (;;) {
        const published = await this.publishBatch();
        if (published < BATCH) return;
      }
    });
  }

  /**
   * Waits until the outbox rows of `eventIds` are published (the relay deletes a row only after JetStream
   * acknowledged it), kicking the relay meanwhile. Gives up quietly after `limitMs` (NATS down): the rows are
   * committed and still leave with a later pass. For replies that must not go out before their event did.
   */
  async published(eventIds: string[], limitMs = 2000): Promise<void> {
    if (!eventIds.length) return;
    this.kick();
    const em = this.orm.em.fork() as EntityManager;
    const deadline = Date.now() + limitMs;
    while (Date.now() < deadline) {
      const pending = await em.execute(`select 1 from outbox where id in (?) limit 1`, [eventIds]);
      if (!pending.length) return;
      await new Promise((r) => setTimeout(r, PUBLISHED_POLL_MS));
      this.kick();
    }
  }

  private async publishBatch(): Promise<number> {
    const em = this.orm.em.fork() as EntityManager;
    return em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string; subject: string; envelope: unknown }[]>(
        `select id, subject, envelope from outbox order by created_at limit ${BATCH} for update skip locked`,
      );
      if (!rows.length) return 0;
      for (const row of rows) {
        const body = typeof row.envelope === 'string' ? row.envelope : JSON.stringify(row.envelope);
        await publishSignedEvent(this.bus.js, this.bus.credentials.signer, row.subject, body, row.id);
      }
      await tx.execute(`delete from outbox where id in (?)`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }
}
