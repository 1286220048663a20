import { Controller, Injectable, Module, type INestMicroservice, type OnApplicationBootstrap } from '@nestjs/common';
import { jest } from '@jest/globals';
import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { defineEvent, defineRpc, ErrorCode, NotificationsTenantPurged, systemContext, TenantDeleting, type CallContext, type EventEnvelope } from '@lockwell/contracts';
import { eventually, startTestNats, testDatabaseUrl, testMasterKey, uniqueDatabaseName } from '@lockwell/testing';
import type { NatsHandle } from '@lockwell/local-infra';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  createLogger,
  EventConsumers,
  LockwellError,
  NATS_BUS,
  Outbox,
  joinTenantPurge,
  OutboxRelay,
  DEVELOPMENT_INTERNAL_KEY,
  signCall,
  RpcClient,
  RpcHandler,
  runWithCallBudget,
  ServiceKitModule,
  serviceConfigSchema,
  startService,
  type NatsBus,
} from '../src/index.js';

const Echo = defineRpc('notifications.kit-test.echo', z.object({ text: z.string().max(10) }), z.object({ text: z.string(), requestId: z.string() }));
const Fail = defineRpc('notifications.kit-test.fail', z.object({}), z.object({}));
const Crash = defineRpc('notifications.kit-test.crash', z.object({}), z.object({}));
const Happened = defineEvent('evt.notifications.kit-test-happened', z.object({ n: z.number() }));
const Flaky = defineEvent('evt.notifications.kit-test-flaky', z.object({ n: z.number() }));

const applied: number[] = [];
const purgedTenants: string[] = [];
let flakyAttempts = 0;
const flakyApplied: number[] = [];

@Controller()
class TestHandler {
  constructor(readonly em: EntityManager) {}

  @RpcHandler(Echo)
  echo(data: { text: string }, ctx: CallContext) {
    // The extra field must be stripped by the response contract.
    return { text: data.text, requestId: ctx.requestId, passwordHash: 'must-not-leave' } as { text: string; requestId: string };
  }

  @RpcHandler(Fail)
  fail(): never {
    throw new LockwellError(ErrorCode.SECRET_NOT_FOUND, 'Secret not found');
  }

  @RpcHandler(Crash)
  crash(): never {
    throw new Error('select * from secrets -- internal detail');
  }
}

@Injectable()
class TestConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly outbox: Outbox,
  ) {}
  async onApplicationBootstrap() {
    await joinTenantPurge(this.consumers, this.outbox, NotificationsTenantPurged, async (tenantId) => {
      purgedTenants.push(tenantId);
    });
    await this.consumers.subscribe('kit-test', Happened, async (data) => {
      applied.push(data.n);
    });
    await this.consumers.subscribe('kit-test-flaky', Flaky, async (data) => {
      flakyAttempts += 1;
      if (flakyAttempts === 1) throw new Error('transient failure');
      flakyApplied.push(data.n);
    });
  }
}

@Module({ controllers: [TestHandler], providers: [TestConsumer] })
class TestFeatureModule {}

describe('service kit messaging over real NATS and PostgreSQL', () => {
  let nats: NatsHandle;
  let app: INestMicroservice;
  let rpc: RpcClient;
  const ctx = systemContext('kit-test-request');

  beforeAll(async () => {
    nats = await startTestNats();
    const config = serviceConfigSchema.parse({ DATABASE_URL: testDatabaseUrl(uniqueDatabaseName('kit')), NATS_URL: nats.url, LOCKWELL_MASTER_KEY: testMasterKey(), RPC_TIMEOUT_MS: '1000' });
    const logger = createLogger('notifications', 'silent');
    app = await startService({
      name: 'notifications',
      natsUrl: nats.url,
      logger,
      module: { module: class KitTestApp {}, imports: [ServiceKitModule.forService({ name: 'notifications', config, logger, database: { entities: [], migrations: [] } }), TestFeatureModule] },
    });
    rpc = app.get(RpcClient);
  });
  afterAll(async () => {
    await app?.close();
    await nats?.stop();
  });

  it('validates the request and serialises the reply through the contract (unlisted fields never leave)', async () => {
    const reply = await rpc.request(Echo, { text: 'hi' }, ctx);
    expect(reply).toEqual({ text: 'hi', requestId: 'kit-test-request' });
  });

  it('answers a malformed payload with VALIDATION_FAILED naming the field, not a crash', async () => {
    const err = await rpc.request(Echo, { text: 'much too long text' }, ctx).catch((e) => e);
    expect(err).toBeInstanceOf(LockwellError);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details[0].field).toBe('text');
    expect(JSON.stringify(err.details)).not.toContain('much too long text');
  });

  it('carries a domain error code across the bus', async () => {
    const err = await rpc.request(Fail, {}, ctx).catch((e) => e);
    expect(err.code).toBe('SECRET_NOT_FOUND');
  });

  it('hides unexpected failures behind INTERNAL without internals', async () => {
    const err = await rpc.request(Crash, {}, ctx).catch((e) => e);
    expect(err.code).toBe('INTERNAL');
    expect(err.message).not.toContain('select');
  });

  it('turns a subject nobody serves into SERVICE_UNAVAILABLE quickly', async () => {
    const Nobody = { subject: 'vault.nobody.home', request: z.object({}), response: z.object({}) };
    const started = Date.now();
    const err = await rpc.request(Nobody, {}, ctx).catch((e) => e);
    expect(err.code).toBe('SERVICE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('publishes an outbox event only when its transaction commits, and applies it once', async () => {
    const orm = app.get(MikroORM);
    const outbox = app.get(Outbox);
    await (orm.em.fork() as EntityManager).transactional(async (em) => {
      outbox.emit(em, Happened, { n: 1 });
    });
    await (orm.em.fork() as EntityManager)
      .transactional(async (em) => {
        outbox.emit(em, Happened, { n: 2 });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await app.get(OutboxRelay).drain();
    await eventually(async () => applied.includes(1));
    await new Promise((r) => setTimeout(r, 300));
    expect(applied.filter((n) => n === 1)).toHaveLength(1);
    expect(applied).not.toContain(2);
  });

  it('keeps relaying when the call that queued an event has run out of time (the relay is not bound to its deadline)', async () => {
    const orm = app.get(MikroORM);
    await runWithCallBudget(1000, Date.now(), () =>
      (orm.em.fork() as EntityManager).transactional(async (em) => {
        app.get(Outbox).emit(em, Happened, { n: 7 });
      }),
    );
    // A pass started from inside that call (as the commit's kick does) and running after its deadline: every
    // pass commits (even one that finds the rows claimed by a concurrent pass), so a bound pass would throw here.
    await expect(runWithCallBudget(1000, Date.now() - 5000, () => app.get(OutboxRelay).drain())).resolves.toBeUndefined();
    const outboxRows = async () => (await (orm.em.fork() as EntityManager).execute<{ n: number }[]>('select count(*)::int as n from outbox'))[0].n;
    await eventually(async () => (await outboxRows()) === 0 && applied.includes(7));
  });

  it('ignores a redelivered event (same event id) in an idempotent consumer', async () => {
    const bus = app.get<NatsBus>(NATS_BUS);
    const envelope = { id: randomUUID(), subject: Happened.subject, occurredAt: new Date().toISOString(), tenantId: null, data: { n: 3 } };
    // Two publishes with distinct message ids get past JetStream's dedupe: only the consumer can stop them.
    await bus.js.publish(Happened.subject, JSON.stringify(envelope), { msgID: randomUUID() });
    await bus.js.publish(Happened.subject, JSON.stringify(envelope), { msgID: randomUUID() });
    await eventually(async () => applied.includes(3));
    await new Promise((r) => setTimeout(r, 300));
    expect(applied.filter((n) => n === 3)).toHaveLength(1);
  });

  it('retries an event whose handler failed: the dedupe mark rolls back with the handler', async () => {
    const orm = app.get(MikroORM);
    await (orm.em.fork() as EntityManager).transactional(async (em) => {
      app.get(Outbox).emit(em, Flaky, { n: 7 });
    });
    await eventually(async () => flakyApplied.includes(7), 10_000);
    expect(flakyAttempts).toBe(2);
  });

  it('purges a deleting tenant and confirms once, even when TenantDeleting is redelivered', async () => {
    const bus = app.get<NatsBus>(NATS_BUS);
    const confirmations: EventEnvelope<{ tenant_id: string }>[] = [];
    const sub = bus.nc.subscribe(NotificationsTenantPurged.subject, { callback: (_e, m) => void confirmations.push(m.json()) });
    const tenantId = randomUUID();
    const deleting = { id: randomUUID(), subject: TenantDeleting.subject, occurredAt: new Date().toISOString(), tenantId, data: { tenant_id: tenantId } };
    await bus.js.publish(TenantDeleting.subject, JSON.stringify(deleting), { msgID: randomUUID() });
    await bus.js.publish(TenantDeleting.subject, JSON.stringify(deleting), { msgID: randomUUID() });
    await eventually(async () => confirmations.some((c) => c.data.tenant_id === tenantId));
    await new Promise((r) => setTimeout(r, 300));
    sub.unsubscribe();
    expect(purgedTenants.filter((t) => t === tenantId)).toHaveLength(1);
    expect(confirmations.filter((c) => c.data.tenant_id === tenantId)).toHaveLength(1);
  });

  it('stays idle when nothing is queued: the relay only polls, it does not chase its own commits', async () => {
    const relay = app.get(OutboxRelay);
    await relay.drain();
    const passes = jest.spyOn(relay, 'drain');
    await new Promise((r) => setTimeout(r, 1000));
    // One pass per 250 ms poll; a relay kicked by its own transactions would make hundreds.
    expect(passes.mock.calls.length).toBeLessThanOrEqual(6);
    passes.mockRestore();
  });

  describe('signed call contexts (AZ-5)', () => {
    // A raw Nest NATS request, as anyone able to publish on the bus could send it.
    const rawCall = async (envelope: Record<string, unknown>) => {
      const bus = app.get<NatsBus>(NATS_BUS);
      const reply = await bus.nc.request(Echo.subject, JSON.stringify({ pattern: Echo.subject, data: envelope, id: randomUUID() }), { timeout: 2000 });
      return reply.json<{ err?: { code: string }; response?: unknown }>();
    };
    const forgedCtx = { requestId: 'forged', principal: null, ip: null, userAgent: null };
    const data = { text: 'hi' };

    it('refuses a request without a signature', async () => {
      expect((await rawCall({ ctx: forgedCtx, data })).err?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a signature made with another key, or for other data, or too old', async () => {
      const now = Date.now();
      expect((await rawCall({ ctx: forgedCtx, data, auth: signCall('another-key-that-is-long-enough-0123', Echo.subject, forgedCtx, data, now) })).err?.code).toBe('UNAUTHENTICATED');
      expect((await rawCall({ ctx: forgedCtx, data: { text: 'bye' }, auth: signCall(DEVELOPMENT_INTERNAL_KEY, Echo.subject, forgedCtx, data, now) })).err?.code).toBe('UNAUTHENTICATED');
      expect((await rawCall({ ctx: forgedCtx, data, auth: signCall(DEVELOPMENT_INTERNAL_KEY, Echo.subject, forgedCtx, data, now - 120_000) })).err?.code).toBe('UNAUTHENTICATED');
    });

    it('accepts a fresh signature of exactly this call', async () => {
      const reply = await rawCall({ ctx: forgedCtx, data, auth: signCall(DEVELOPMENT_INTERNAL_KEY, Echo.subject, forgedCtx, data, Date.now()) });
      expect(reply.err).toBeFalsy();
      expect(reply.response).toEqual({ text: 'hi', requestId: 'forged' });
    });
  });
});
