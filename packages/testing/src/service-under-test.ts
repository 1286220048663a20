import type { INestMicroservice, Type } from '@nestjs/common';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BusIdentity } from '@lockwell/contracts';
import type { NatsHandle } from '@lockwell/local-infra';
import {
  createLogger,
  createRpcClient,
  loadBusCredentials,
  startDefinedService,
  type Clock,
  type Logger,
  type RpcClient,
  type ServiceDefinition,
} from '@lockwell/service-kit';
import { EventLog } from './events.js';
import { busEnv, startTestNats, testDatabaseUrl, testMasterKey, uniqueDatabaseName } from './infra.js';
import { startStandIn, type StandIn } from './stand-in.js';

export interface ServiceUnderTestOptions {
  /** A bus of the test's own (several services, a bus it restarts); default: a fresh one, stopped by stop(). */
  nats?: NatsHandle;
  /** Default: a fresh database on the jest run's PostgreSQL (the service creates and migrates it). */
  databaseUrl?: string;
  /** Settings over the test defaults (NODE_ENV=test, silent logs, a fresh master key, this service's bus credentials). */
  env?: Record<string, string>;
  /** A clock the test moves (FakeClock); default: the system clock. */
  clock?: Clock;
  /** Fakes of the services this one calls (see standIn / answer). */
  standIns?: StandIn[];
  /** Whom `rpc` calls as (default: the gateway, as the public API does). */
  caller?: BusIdentity;
  logger?: Logger;
}

/** One service started for a test with the production bootstrap, and what the test needs around it. */
export interface ServiceUnderTest {
  app: INestMicroservice;
  nats: NatsHandle;
  databaseUrl: string;
  masterKey: string;
  /** Calls the service over NATS as `caller`, signed with its bus key. */
  rpc: RpcClient;
  /** Every event and audit envelope the service (or anyone) published since it started. */
  events: EventLog;
  /** A fresh EntityManager on the service's database, for looking at rows. */
  em(): EntityManager;
  /** A provider of the service (a service class, a repository), for calling it without the bus. */
  get<T>(type: Type<T> | symbol): T;
  /** Runs `work` in its own unit of work, as a handler would (for calling providers directly). */
  inUnitOfWork<T>(work: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/** The environment a service under test starts with: test mode, its own bus credential, a database, a master key. */
export function serviceTestEnv(
  name: BusIdentity,
  nats: NatsHandle,
  databaseUrl: string,
  masterKey: string,
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    LOCKWELL_MASTER_KEY: masterKey,
    ...busEnv(nats, name),
    DATABASE_URL: databaseUrl,
  };
}

/**
 * Starts `service` (the definition its app.module.ts exports) the way main.ts does, on its own database and a
 * nats-server of the test file's own, with stand-ins for the services it calls. The one harness every
 * integration test uses (docs/architecture.md "How to write a service": tests).
 */
export async function startServiceUnderTest(
  service: ServiceDefinition,
  opts: ServiceUnderTestOptions = {},
): Promise<ServiceUnderTest> {
  const nats = opts.nats ?? (await startTestNats());
  const databaseUrl = opts.databaseUrl ?? testDatabaseUrl(uniqueDatabaseName(service.name));
  const env = { ...serviceTestEnv(service.name, nats, databaseUrl, testMasterKey()), ...opts.env };
  const logger = opts.logger ?? createLogger(service.name, process.env.LOCKWELL_TEST_LOG_LEVEL ?? 'silent');
  const standIns: INestMicroservice[] = [];
  const events = await EventLog.capture(nats);
  let app: INestMicroservice | undefined;
  try {
    for (const s of opts.standIns ?? []) standIns.push(await startStandIn(nats, s, logger));
    app = await startDefinedService(service, { env, logger, clock: opts.clock });
  } catch (err) {
    await Promise.all(standIns.map((s) => s.close()));
    await events.close();
    if (!opts.nats) await nats.stop();
    throw err;
  }
  const started = app;
  const caller = opts.caller ?? 'gateway';
  const rpc = createRpcClient(loadBusCredentials(caller, busEnv(nats, caller)), `${service.name}-test-${caller}`, 5000);
  const orm = started.get(MikroORM);
  return {
    app: started,
    nats,
    databaseUrl,
    masterKey: env.LOCKWELL_MASTER_KEY!,
    rpc,
    events,
    em: () => orm.em.fork() as EntityManager,
    get: <T>(type: Type<T> | symbol) => started.get<T>(type as Type<T>),
    inUnitOfWork: (work) => RequestContext.create(orm.em, work),
    async stop() {
      await rpc.onApplicationShutdown();
      await events.close();
      for (const s of standIns) await s.close();
      await started.close();
      if (!opts.nats) await nats.stop();
    },
  };
}
