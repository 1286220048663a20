import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxRelay } from '@lockwell/service-kit';

const WAIT_LIMIT_MS = 2000;
const POLL_MS = 5;

/**
 * Holds a membership write's reply until its MembershipChanged events are on the bus (the relay deletes an
 * outbox row only after JetStream acknowledged it). The gateways drop the user's cached principal on that
 * event, so by the time the client sees the reply and sends its next request, every service that
 * authorises from the principal sees the new role (AZ-6). Past the wait limit (NATS down) the reply goes
 * anyway: the change is committed and its event still goes out with the relay, and the gateway's cache TTL
 * bounds the staleness.
 */
@Injectable()
export class MembershipBroadcast {
  constructor(
    private readonly orm: MikroORM,
    private readonly relay: OutboxRelay,
  ) {}

  async published(eventIds: string[]): Promise<void> {
    if (!eventIds.length) return;
    this.relay.kick();
    const em = this.orm.em.fork() as EntityManager;
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (Date.now() < deadline) {
      const pending = await em.execute(`select 1 from outbox where id in (?) limit 1`, [eventIds]);
      if (!pending.length) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
      this.relay.kick();
    }
  }
}
