import { Controller, Injectable, Module, type INestMicroservice, type OnApplicationBootstrap } from '@nestjs/common';
import { jest } from '@jest/globals';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  defineConsumer,
  defineEvent,
  defineRpc,
  ErrorCode,
  NotificationsTenantPurged,
  systemContext,
  TenantDeleting,
  type BusIdentity,
  type CallContext,
  type EventEnvelope,
} from '@lockwell/contracts';
import {
  busEnv,
  connectAs,
  eventually,
  readStream,
  startTestNats,
  testDatabaseUrl,
  testMasterKey,
  uniqueDatabaseName,
} from '@lockwell/testing';
import { jetstream } from '@nats-io/jetstream';
import type { NatsHandle } from '@lockwell/local-infra';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  createLogger,
  EventConsumers,
  LockwellError,
  Outbox,
  joinTenantPurge,
  OutboxRelay,
  OutboxMessage,
  BusSigner,
  eventSignatureHeaders,
  signCall,
  RpcClient,
  RpcHandler,
  runWithCallBudget,
  ServiceKitModule,
  serviceConfigSchema,
  startService,
} from '../src/index.js';

// The kit's own test contracts: served by the test service (as notifications), callable by it and the gateway.
const callers = { callers: ['notifications', 'gateway'] as BusIdentity[] };
const Echo = defineRpc(
  'notifications.kit-test.echo',
  z.object({ text: z.string().max(10) }),
  z.object({ text: z.string(), requestId: z.string() }),
  callers,
);
const Fail = defineRpc('notifications.kit-test.fail', z.object({}), z.object({}), callers);
const Crash = defineRpc('notifications.kit-test.crash', z.object({}), z.object({}), callers);
const Refuse = defineRpc(
  'notifications.kit-test.refuse',
  z.object({ tenant_id: z.string(), user_id: z.string(), recorded: z.boolean() }),
  z.object({}),
  callers,
);
const Nobody = defineRpc('notifications.kit-test.nobody', z.object({}), z.object({}), callers);
const UnitOfWork = defineRpc(
  'notifications.kit-test.unit-of-work',
  z.object({}),
  z.object({ open: z.boolean(), outboxRows: z.number() }),
  callers,
);
const Happened = defineEvent('evt.notifications.kit-test-happened', z.object({ n: z.number() }));
const Flaky = defineEvent('evt.notifications.kit-test-flaky', z.object({ n: z.number() }));
defineConsumer('notifications', 'kit-test', Happened);
defineConsumer('notifications', 'kit-test-flaky', Flaky);

const applied: number[] = [];
const purgedTenants: string[] = [];
let flakyAttempts = 0;
const flakyApplied: number[] = [];

// No EntityManager in the constructor: @RpcHandler opens the unit of work itself.
@Controller()
class TestHandler {
  constructor(private readonly orm: MikroORM) {}

  @RpcHandler(UnitOfWork)
  async unitOfWork() {
    // The global EntityManager refuses context-specific work outside a unit of work (allowGlobalContext: false).
    return {
      open: RequestContext.getEntityManager() !== undefined,
      outboxRows: await this.orm.em.count(OutboxMessage, {}),
    };
  }

  @RpcHandler(Echo)
  echo(data: { text: string }, ctx: CallContext) {
    // The extra field must be stripped by the response contract.
    return { text: data.text, requestId: ctx.requestId, passwordHash: 'must-not-leave' } as {
      text: string;
      requestId: string;
    };
  }

  @RpcHandler(Fail)
  fail(): never {
    throw new LockwellError(ErrorCode.SECRET_NOT_FOUND, 'Secret not found');
  }

  @RpcHandler(Refuse)
  refuse(data: { recorded: boolean }): never {
    const err = new LockwellError(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
    err.deniedRecorded = data.recorded;
    throw err;
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
    await joinTenantPurge(this.consumers, this.outbox, 'notifications', async (_em, tenantId) => {
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

let nats: NatsHandle;

/** The audit events of a request id on LOCKWELL_AUDIT. */
async function auditOnStream(requestId: string): Promise<Record<string, unknown>[]> {
  const messages = await readStream<{ data: Record<string, unknown> }>(nats, 'LOCKWELL_AUDIT');
  return messages.map((m) => m.body.data).filter((d) => d.request_id === requestId);
}

describe('service kit messaging over real NATS and PostgreSQL', () => {
  let app: INestMicroservice;
  let rpc: RpcClient;
  const ctx = systemContext('kit-test-request');

  beforeAll(async () => {
    nats = await startTestNats();
    // 5 s: the first call opens the pool, which a loaded machine can keep past 1 s (a subject nobody serves still fails at once).
    const config = serviceConfigSchema.parse({
      NODE_ENV: 'test',
      ...busEnv(nats, 'notifications'),
      DATABASE_URL: testDatabaseUrl(uniqueDatabaseName('kit')),
      LOCKWELL_MASTER_KEY: testMasterKey(),
      RPC_TIMEOUT_MS: '5000',
    });
    const logger = createLogger('notifications', 'silent');
    app = await startService({
      name: 'notifications',
      config,
      logger,
      module: {
        module: class KitTestApp {},
        imports: [
          ServiceKitModule.forService({
            name: 'notifications',
            config,
            logger,
            database: { entities: [], migrations: [] },
          }),
          TestFeatureModule,
        ],
      },
    });
    rpc = app.get(RpcClient);
  });
  afterAll(async () => {
    await app?.close();
    await nats?.stop();
  });

  it('runs every handler in its own unit of work, whatever its constructor takes', async () => {
    expect(await rpc.request(UnitOfWork, {}, ctx)).toEqual({ open: true, outboxRows: expect.any(Number) });
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

  it('audits a refused call once (authz.denied, in its own transaction), unless the service recorded it itself', async () => {
    const tenant = randomUUID();
    const user = randomUUID();
    const refused = { ...ctx, requestId: `kit-refuse-${randomUUID()}` };
    expect(
      (await rpc.request(Refuse, { tenant_id: tenant, user_id: user, recorded: false }, refused).catch((e) => e)).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await rpc
          .request(
            Refuse,
            { tenant_id: tenant, user_id: user, recorded: true },
            { ...refused, requestId: `${refused.requestId}-own` },
          )
          .catch((e) => e)
      ).code,
    ).toBe('FORBIDDEN');
    const records = await eventually(async () => {
      const found = await auditOnStream(refused.requestId);
      return found.length ? found : null;
    });
    // The refusal of the other call (recorded by its service) must not add one: give the relay time to show it.
    await new Promise((r) => setTimeout(r, 500));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      action: 'authz.denied',
      outcome: 'denied',
      tenant_id: tenant,
      resource_type: 'kit-test',
      resource_id: user,
      detail: { operation: Refuse.subject, code: 'FORBIDDEN' },
    });
    expect(await auditOnStream(`${refused.requestId}-own`)).toHaveLength(0);
  });

  it('hides unexpected failures behind INTERNAL without internals', async () => {
    const err = await rpc.request(Crash, {}, ctx).catch((e) => e);
    expect(err.code).toBe('INTERNAL');
    expect(err.message).not.toContain('select');
  });

  it('turns a subject nobody serves into SERVICE_UNAVAILABLE quickly', async () => {
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
    await expect(
      runWithCallBudget(1000, Date.now() - 5000, () => app.get(OutboxRelay).drain()),
    ).resolves.toBeUndefined();
    const outboxRows = async () =>
      (await (orm.em.fork() as EntityManager).execute<{ n: number }[]>('select count(*)::int as n from outbox'))[0].n;
    await eventually(async () => (await outboxRows()) === 0 && applied.includes(7));
  });

  it('ignores a redelivered event (same event id) in an idempotent consumer', async () => {
    const envelope = {
      id: randomUUID(),
      subject: Happened.subject,
      occurredAt: new Date().toISOString(),
      tenantId: null,
      data: { n: 3 },
    };
    // Two publishes with distinct message ids get past JetStream's dedupe: only the consumer can stop them.
    await publishSigned('notifications', envelope);
    await publishSigned('notifications', envelope);
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
    const observer = await connectAs(nats, 'observer');
    const confirmations: EventEnvelope<{ tenant_id: string }>[] = [];
    observer.subscribe(NotificationsTenantPurged.subject, { callback: (_e, m) => void confirmations.push(m.json()) });
    await observer.flush();
    const tenantId = randomUUID();
    const deleting = {
      id: randomUUID(),
      subject: TenantDeleting.subject,
      occurredAt: new Date().toISOString(),
      tenantId,
      data: { tenant_id: tenantId },
    };
    await publishSigned('tenants', deleting);
    await publishSigned('tenants', deleting);
    await eventually(async () => confirmations.some((c) => c.data.tenant_id === tenantId));
    await new Promise((r) => setTimeout(r, 300));
    await observer.close();
    expect(purgedTenants.filter((t) => t === tenantId)).toHaveLength(1);
    expect(confirmations.filter((c) => c.data.tenant_id === tenantId)).toHaveLength(1);
  });

  it('drops an event not signed by the service owning its subject, and applies the genuine one', async () => {
    const tenantId = randomUUID();
    const forged = {
      id: randomUUID(),
      subject: TenantDeleting.subject,
      occurredAt: new Date().toISOString(),
      tenantId,
      data: { tenant_id: tenantId },
    };
    // Published with tenants' bus credential, but signed by another service's key, then not signed at all.
    await publishSigned('tenants', forged, 'vault');
    const nc = await connectAs(nats, 'tenants');
    await jetstream(nc).publish(TenantDeleting.subject, JSON.stringify({ ...forged, id: randomUUID() }), {
      msgID: randomUUID(),
    });
    await nc.close();
    await new Promise((r) => setTimeout(r, 500));
    expect(purgedTenants).not.toContain(tenantId);
    await publishSigned('tenants', { ...forged, id: randomUUID() });
    await eventually(async () => purgedTenants.includes(tenantId));
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
    // A raw Nest NATS request as a process holding `as`'s bus credential could send it.
    const rawCall = async (envelope: Record<string, unknown>, as: BusIdentity = 'gateway') => {
      const nc = await connectAs(nats, as);
      try {
        const reply = await nc.request(
          Echo.subject,
          JSON.stringify({ pattern: Echo.subject, data: envelope, id: randomUUID() }),
          { timeout: 2000 },
        );
        return reply.json<{ err?: { code: string }; response?: unknown }>();
      } finally {
        await nc.close();
      }
    };
    const signer = (identity: BusIdentity) => BusSigner.fromSeed(identity, nats.bus.keys[identity]!.seed, 'test');
    const forgedCtx = { requestId: 'forged', principal: null, ip: null, userAgent: null };
    const data = { text: 'hi' };

    it('refuses a request without a signature', async () => {
      expect((await rawCall({ ctx: forgedCtx, data })).err?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a signature by a key other than the named signer, for other data, or too old', async () => {
      const now = Date.now();
      const claimsGateway = { ...signCall(signer('vault'), Echo.subject, forgedCtx, data, now), by: 'gateway' };
      expect((await rawCall({ ctx: forgedCtx, data, auth: claimsGateway })).err?.code).toBe('UNAUTHENTICATED');
      expect(
        (
          await rawCall({
            ctx: forgedCtx,
            data: { text: 'bye' },
            auth: signCall(signer('gateway'), Echo.subject, forgedCtx, data, now),
          })
        ).err?.code,
      ).toBe('UNAUTHENTICATED');
      expect(
        (
          await rawCall({
            ctx: forgedCtx,
            data,
            auth: signCall(signer('gateway'), Echo.subject, forgedCtx, data, now - 120_000),
          })
        ).err?.code,
      ).toBe('UNAUTHENTICATED');
      // A genuine call whose time budget was shortened on the way (to make the service give up) is refused.
      const budgeted = signCall(signer('gateway'), Echo.subject, forgedCtx, data, now, 5000);
      expect((await rawCall({ ctx: forgedCtx, data, auth: budgeted, budgetMs: 1 })).err?.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a genuine signature of a service the contract does not list as a caller', async () => {
      expect(
        (
          await rawCall(
            { ctx: forgedCtx, data, auth: signCall(signer('vault'), Echo.subject, forgedCtx, data, Date.now()) },
            'notifications',
          )
        ).err?.code,
      ).toBe('UNAUTHENTICATED');
    });

    it('accepts a fresh signature of exactly this call once: a replay within the window is refused', async () => {
      const envelope = {
        ctx: forgedCtx,
        data,
        auth: signCall(signer('gateway'), Echo.subject, forgedCtx, data, Date.now()),
      };
      const reply = await rawCall(envelope);
      expect(reply.err).toBeFalsy();
      expect(reply.response).toEqual({ text: 'hi', requestId: 'forged' });
      expect((await rawCall(envelope)).err?.code).toBe('UNAUTHENTICATED');
    });

    it("refuses a call whose reply would go anywhere but the signer's own inbox", async () => {
      // Signed by the gateway, sent by a process whose replies arrive under _INBOX.notifications.
      const envelope = {
        ctx: forgedCtx,
        data,
        auth: signCall(signer('gateway'), Echo.subject, forgedCtx, data, Date.now()),
      };
      expect((await rawCall(envelope, 'notifications')).err?.code).toBe('UNAUTHENTICATED');
    });
  });
});

/** Publishes an event envelope to JetStream as `as` would, signed with `signedBy`'s key (the owner's by default). */
async function publishSigned(
  as: BusIdentity,
  envelope: { id: string; subject: string },
  signedBy: BusIdentity = as,
): Promise<void> {
  const nc = await connectAs(nats, as);
  try {
    const body = JSON.stringify(envelope);
    const headers = eventSignatureHeaders(
      BusSigner.fromSeed(signedBy, nats.bus.keys[signedBy]!.seed, 'test'),
      envelope.subject,
      body,
    );
    await jetstream(nc).publish(envelope.subject, body, { msgID: randomUUID(), headers });
  } finally {
    await nc.close();
  }
}
