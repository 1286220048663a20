import { Injectable, Module, type INestMicroservice, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { defineConsumer, defineEvent, STREAMS } from '@lockwell/contracts';
import { busEnv, eventually, readStream, testDatabaseUrl, testMasterKey, uniqueDatabaseName } from '@lockwell/testing';
import { freePort, restartNats, startNats, type NatsHandle } from '@lockwell/local-infra';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  createLogger,
  EventConsumers,
  Outbox,
  OutboxRelay,
  ServiceKitModule,
  serviceConfigSchema,
  startService,
} from '../src/index.js';

// The outbox under failure: nats-server gone in the middle of a relay pass, and a relay that published but
// died before deleting its rows. Events must wait in the outbox and arrive later, each applied exactly once.
const Counted = defineEvent('evt.notifications.kit-fault-counted', z.object({ n: z.number() }));
defineConsumer('notifications', 'kit-fault', Counted);
const applied = new Map<string, number>();

@Injectable()
class CountingConsumer implements OnApplicationBootstrap {
  constructor(private readonly consumers: EventConsumers) {}
  async onApplicationBootstrap() {
    await this.consumers.subscribe('kit-fault', Counted, async (_data, envelope) => {
      applied.set(envelope.id, (applied.get(envelope.id) ?? 0) + 1);
    });
  }
}

@Module({ providers: [CountingConsumer] })
class FaultTestModule {}

describe('outbox delivery under failure', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-nats-faults-'));
  let port: number;
  let nats: NatsHandle;
  let app: INestMicroservice;
  let outbox: Outbox;
  let relay: OutboxRelay;
  let orm: MikroORM;

  beforeAll(async () => {
    port = await freePort();
    // The test's own nats-server (with the read-only observer): it is stopped and restarted on the same bus.
    nats = await startNats({ dir, port, observer: true });
    const config = serviceConfigSchema.parse({
      NODE_ENV: 'test',
      ...busEnv(nats, 'notifications'),
      DATABASE_URL: testDatabaseUrl(uniqueDatabaseName('kitfault')),
      LOCKWELL_MASTER_KEY: testMasterKey(),
      RPC_TIMEOUT_MS: '1000',
    });
    const logger = createLogger('notifications', 'silent');
    app = await startService({
      name: 'notifications',
      config,
      logger,
      module: {
        module: class FaultApp {},
        imports: [
          ServiceKitModule.forService({
            name: 'notifications',
            config,
            logger,
            database: { entities: [], migrations: [] },
          }),
          FaultTestModule,
        ],
      },
    });
    outbox = app.get(Outbox);
    relay = app.get(OutboxRelay);
    orm = app.get(MikroORM);
  });
  afterAll(async () => {
    await app?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const emit = async (n: number): Promise<string> => {
    let id = '';
    await (orm.em.fork() as EntityManager).transactional(async (em) => {
      id = outbox.emit(em, Counted, { n }).id;
    });
    return id;
  };
  const waiting = async () =>
    (await (orm.em.fork() as EntityManager).execute<{ n: string }[]>(`select count(*) as n from outbox`))[0]!.n;
  const inStream = async (ids: string[]) => {
    const msgs = await readStream<{ id: string }>(nats, STREAMS.EVENTS.name, Counted.subject);
    return ids.map((id) => msgs.filter((m) => m.body.id === id).length);
  };

  it('keeps events in the outbox while nats-server is down, and delivers each exactly once after it returns', async () => {
    await relay.drain();
    await nats.stop();
    const ids = [await emit(1), await emit(2), await emit(3)];
    // A pass that runs into the outage fails and leaves its rows for later.
    await expect(relay.drain()).rejects.toBeDefined();
    expect(await waiting()).toBe('3');
    nats = await restartNats(nats);
    await eventually(async () => ids.every((id) => applied.get(id) === 1), 20_000, 100);
    await eventually(async () => (await waiting()) === '0', 5000);
    expect(await inStream(ids)).toEqual([1, 1, 1]);
    await new Promise((r) => setTimeout(r, 500));
    expect(ids.map((id) => applied.get(id))).toEqual([1, 1, 1]);
  }, 60_000);

  it('publishes again after a crash between publish and delete; JetStream and the consumer each let it through once', async () => {
    await relay.drain();
    // This test runs every relay pass itself: no pass kicked by a commit or the poll may take the rows first.
    await relay.stop();
    const em = orm.em.fork() as EntityManager;
    // The relay's delete fails once: its transaction rolls back after the publish, as if the process had died there.
    await em.execute(`create table relay_crash (armed boolean not null)`);
    await em.execute(`insert into relay_crash values (true)`);
    await em.execute(`create or replace function relay_crash() returns trigger language plpgsql as $$
      begin if exists (select 1 from relay_crash where armed) then raise exception 'relay died before deleting'; end if; return old; end $$`);
    await em.execute(`create trigger relay_crash before delete on outbox for each row execute function relay_crash()`);
    try {
      const ids = [await emit(10), await emit(11)];
      await expect(relay.drain()).rejects.toThrow(/relay died/);
      expect(await waiting()).toBe('2');
      expect(await inStream(ids)).toEqual([1, 1]);
      await em.execute(`update relay_crash set armed = false`);
      await relay.drain();
      expect(await waiting()).toBe('0');
      // The second publish carried the same Nats-Msg-Id: the stream kept one copy of each event.
      expect(await inStream(ids)).toEqual([1, 1]);
      await eventually(async () => ids.every((id) => applied.get(id) === 1));
      await new Promise((r) => setTimeout(r, 500));
      expect(ids.map((id) => applied.get(id))).toEqual([1, 1]);
    } finally {
      await em.execute(`drop trigger if exists relay_crash on outbox`);
    }
  });
});
