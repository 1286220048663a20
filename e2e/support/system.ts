// Boots a whole Lockwell system in this jest worker with the same bootstrap code as production: every service
// of the one list (packages/contracts/src/services.ts), each on its own fresh database of the harness's
// PostgreSQL, and the gateway on a free port, over a nats-server of this test file's own. LOCKWELL_REPLICAS
// (e.g. `vault=2,gateway=2`, as for `npm start`) or the `replicas` option runs several of any of them.
import type { INestMicroservice } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SERVICE_NAMES, type ServiceName } from '@lockwell/contracts';
import { createLogger, startDefinedService, type Clock, type ServiceDefinition } from '@lockwell/service-kit';
import {
  busEnv,
  connectAs,
  serviceTestEnv,
  startTestNats,
  testDatabaseUrl,
  testMasterKey,
  uniqueDatabaseName,
} from '@lockwell/testing';
import { parseReplicas, type NatsHandle } from '@lockwell/local-infra';
import type { NatsConnection } from '@nats-io/transport-node';
import { createGateway } from '../../apps/gateway/src/bootstrap.js';
import { configSchema as gatewayConfigSchema } from '../../apps/gateway/src/config.js';

/** Every service's definition, from the `service` its app.module.ts exports (apps/<name>/src/app.module.ts). */
export async function serviceDefinitions(): Promise<Record<ServiceName, ServiceDefinition>> {
  const entries = await Promise.all(
    SERVICE_NAMES.map(
      async (name) =>
        [
          name,
          ((await import(`../../apps/${name}/src/app.module.js`)) as { service: ServiceDefinition }).service,
        ] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<ServiceName, ServiceDefinition>;
}

export interface SystemOptions {
  /** Extra environment for every service and the gateway (e.g. LOCKWELL_ADMIN_EMAIL). */
  env?: Record<string, string>;
  /** A fake clock for the services (lifecycle, expiry); see FakeClock in @lockwell/testing. */
  clock?: Clock;
  /** Receives every log line of every service and the gateway (JSON text), at LOCKWELL_TEST_LOG_LEVEL or `logLevel`. */
  logSink?: (line: string) => void;
  logLevel?: string;
  /** A PostgreSQL of the test's own (e.g. a durable cluster it crashes) instead of the jest run's shared one. */
  postgres?: { url(db: string): string };
  /** A nats-server of the test's own (e.g. one it kills and restarts); the test stops it, not `stop()`. */
  nats?: NatsHandle;
  /** Database names (default: a fresh unique name per service); `npm start` uses `lockwell_<service>`. */
  databaseName?: (service: ServiceName) => string;
  /** Processes per service and of the gateway (default: LOCKWELL_REPLICAS, else one each); see docs/operations.md "Replicas". */
  replicas?: Partial<Record<ServiceName | 'gateway', number>>;
  /** Environment for one replica only (index from 0), on top of `env`: e.g. a job switched off in all replicas but one. */
  replicaEnv?: (service: ServiceName, index: number) => Record<string, string>;
}

export interface TestSystem {
  /** The first gateway; `urls` lists every gateway replica (each on its own port). */
  url: string;
  urls: string[];
  nats: NatsHandle;
  masterKey: string;
  databaseUrl(service: ServiceName): string;
  /** The first replica of each service; `replicasOf` lists them all. */
  services: Record<ServiceName, INestMicroservice>;
  replicasOf(name: ServiceName): INestMicroservice[];
  gateway: NestFastifyApplication;
  /** Closes every gateway (their ports refuse connections), e.g. to test clients through an outage. */
  stopGateway(): Promise<void>;
  /** Starts the gateways again on the same ports after stopGateway. */
  startGateway(): Promise<void>;
  /** A raw NATS connection as a bus identity, the read-only `observer`, or `anonymous` (refused). Close it. */
  connectAs(identity: Parameters<typeof connectAs>[1]): Promise<NatsConnection>;
  /** Closes one service (every replica) and starts it again on the same database, with extra environment (e.g. a new key ring). */
  restartService(name: ServiceName, env?: Record<string, string>): Promise<INestMicroservice>;
  /** Closes one service, every replica (e.g. audit, to show the others do not wait for it); restartService starts it again. */
  stopService(name: ServiceName): Promise<void>;
  /** Closes every service (the gateway stays up and answers 503), e.g. so a restore can replace their databases. */
  stopServices(): Promise<void>;
  /** Starts every service again on its database (migrating it first, as at any start). */
  startServices(env?: Record<string, string>): Promise<void>;
  /** Starts one more replica of a service on the same database and bus (its queue group shares the work); stop() stops it. */
  startReplica(name: ServiceName, env?: Record<string, string>): Promise<INestMicroservice>;
  stop(): Promise<void>;
}

const LOG_LEVEL = process.env.LOCKWELL_TEST_LOG_LEVEL ?? 'silent';

/** The bootstrap administrator every test system starts with. */
export const ADMIN = { email: 'admin@lockwell.test', password: 'correct-horse-battery-staple-42' };

/** The environment every process of a test system shares (in-process here, child processes in process-system.ts). */
export function systemTestEnv(masterKey: string, logLevel: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: logLevel,
    LOCKWELL_MASTER_KEY: masterKey,
    LOCKWELL_ADMIN_EMAIL: ADMIN.email,
    LOCKWELL_ADMIN_PASSWORD: ADMIN.password,
    // Suites send bursts from one address; the rate-limit suite sets its own low limits (API-2).
    LOCKWELL_RATE_LIMIT_PER_IP: '1000000',
    LOCKWELL_RATE_LIMIT_PER_IDENTITY: '1000000',
  };
}

/** Waits for /readyz 200, so a test's first request never meets a system still warming up (e.g. auth not loaded). */
async function waitUntilReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`the test system was not ready within ${timeoutMs} ms: ${res ? await res.text() : 'no answer'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startSystem(opts: SystemOptions = {}): Promise<TestSystem> {
  const level = opts.logLevel ?? LOG_LEVEL;
  const sink = opts.logSink;
  const destination = sink ? { write: (chunk: string) => chunk.split('\n').filter(Boolean).forEach(sink) } : undefined;
  const loggerFor = (name: string) => createLogger(name, level, destination);
  const nats = opts.nats ?? (await startTestNats());
  const databaseUrl = (db: string) => (opts.postgres ? opts.postgres.url(db) : testDatabaseUrl(db));
  const masterKey = opts.env?.LOCKWELL_MASTER_KEY ?? testMasterKey();
  const definitions = await serviceDefinitions();
  const dbNames = Object.fromEntries(
    SERVICE_NAMES.map((s) => [s, opts.databaseName ? opts.databaseName(s) : uniqueDatabaseName(s)]),
  ) as Record<ServiceName, string>;
  const baseEnv = { ...systemTestEnv(masterKey, level), ...opts.env };
  const counts = { ...parseReplicas(process.env.LOCKWELL_REPLICAS, [...SERVICE_NAMES, 'gateway']), ...opts.replicas };
  const running = Object.fromEntries(SERVICE_NAMES.map((s) => [s, [] as INestMicroservice[]])) as Record<
    ServiceName,
    INestMicroservice[]
  >;
  const services = {} as Record<ServiceName, INestMicroservice>;
  const extra: INestMicroservice[] = [];
  // Each service is itself on the bus: its own nkey, as in production (the same environment as the test kit's).
  const create = (name: ServiceName, env: Record<string, string> = {}) => {
    const serviceEnv = {
      ...serviceTestEnv(name, nats, databaseUrl(dbNames[name]), masterKey),
      ...baseEnv,
      ...env,
      DATABASE_URL: databaseUrl(dbNames[name]),
    };
    return startDefinedService(definitions[name], { env: serviceEnv, logger: loggerFor(name), clock: opts.clock });
  };
  // A service's replicas start one after the other (the first migrates its database), services side by side.
  const boot = async (name: ServiceName, env: Record<string, string> = {}) => {
    for (let i = 0; i < counts[name]; i++)
      running[name].push(await create(name, { ...opts.replicaEnv?.(name, i), ...env }));
    services[name] = running[name][0]!;
    return services[name];
  };
  const close = async (name: ServiceName) => {
    await Promise.all(running[name].splice(0).map((s) => s.close()));
  };
  await Promise.all(SERVICE_NAMES.map((name) => boot(name)));
  const gwConfig = gatewayConfigSchema.parse({ ...baseEnv, ...busEnv(nats, 'gateway'), LOCKWELL_PORT: '0' });
  const gateways: NestFastifyApplication[] = [];
  const ports: number[] = [];
  for (let i = 0; i < counts.gateway; i++) {
    const gw = await createGateway(gwConfig, loggerFor('gateway'));
    await gw.listen(0, '127.0.0.1');
    gateways.push(gw);
    ports.push((gw.getHttpServer().address() as { port: number }).port);
  }
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  const url = urls[0]!;
  await Promise.all(urls.map((u) => waitUntilReady(u)));
  let gatewayUp = true;
  return {
    url,
    urls,
    nats,
    masterKey,
    databaseUrl: (s) => databaseUrl(dbNames[s]),
    services,
    replicasOf: (name) => [...running[name]],
    get gateway() {
      return gateways[0]!;
    },
    async stopGateway() {
      await Promise.all(gateways.map((g) => g.close()));
      gatewayUp = false;
    },
    async startGateway() {
      for (const [i, port] of ports.entries()) {
        gateways[i] = await createGateway(gwConfig, loggerFor('gateway'));
        await gateways[i]!.listen(port, '127.0.0.1');
      }
      gatewayUp = true;
    },
    connectAs: (identity) => connectAs(nats, identity),
    async restartService(name, env) {
      await close(name);
      return boot(name, env);
    },
    async stopService(name) {
      await close(name);
    },
    async stopServices() {
      await Promise.all(SERVICE_NAMES.map(close));
    },
    async startServices(env) {
      await Promise.all(SERVICE_NAMES.map((name) => boot(name, env)));
      await waitUntilReady(url);
    },
    async startReplica(name, env) {
      const replica = await create(name, env);
      extra.push(replica);
      return replica;
    },
    async stop() {
      if (gatewayUp) await Promise.all(gateways.map((g) => g.close()));
      await Promise.all([...SERVICE_NAMES.map(close), ...extra.map((s) => s.close())]);
      if (!opts.nats) await nats.stop();
    },
  };
}
