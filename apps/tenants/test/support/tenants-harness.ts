// Boots the real tenants service on a fresh database and a nats-server of this test file's own, plus a
// stand-in for identity's two lookups (users by id, custom roles by id), so the tenants RPCs can be called
// with crafted CallContexts exactly as the gateway would send them.
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions, type NatsOptions } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  BUILT_IN_TENANT_ROLES,
  eventOwnerOf,
  IdentityRoleResolve,
  IdentityUserLookup,
  type BusIdentity,
  type CallContext,
  type EventContract,
  type EventEnvelope,
  type Principal,
} from '@lockwell/contracts';
import { BusSigner, createLogger, createRpcClient, loadBusCredentials, natsConnectOptions, PinoNestLogger, publishSignedEvent, RpcHandler, startService, type RpcClient } from '@lockwell/service-kit';
import { busEnv, connectAs, startTestNats, testDatabaseUrl, testMasterKey, uniqueDatabaseName } from '@lockwell/testing';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsHandle } from '@lockwell/local-infra';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../../src/app.module.js';
import { configSchema } from '../../src/config.js';

/** Users and custom roles the identity stand-in knows. */
export const identityFixtures = {
  users: new Map<string, { id: string; email: string; full_name: string; status: 'active' | 'disabled' }>(),
  roles: new Map<string, { id: string; name: string; permissions: string[] }>(),
};

@Controller()
class IdentityStandIn {
  @RpcHandler(IdentityUserLookup)
  lookup(data: { user_ids: string[]; emails?: string[] }) {
    const byEmail = [...identityFixtures.users.values()].filter((u) => data.emails?.includes(u.email));
    return { users: [...data.user_ids.flatMap((id) => identityFixtures.users.get(id) ?? []), ...byEmail] };
  }

  @RpcHandler(IdentityRoleResolve)
  resolve(data: { role_ids: string[] }) {
    return { roles: data.role_ids.flatMap((id) => identityFixtures.roles.get(id) ?? []) };
  }
}

@Module({ controllers: [IdentityStandIn] })
class IdentityStandInModule {}

export interface TenantsHarness {
  /** Calls tenants as the gateway does. */
  rpc: RpcClient;
  /** The bus, for publishing events as their owning service (publishEvent). */
  bus: NatsHandle;
  events: EventLog;
  em(): EntityManager;
  app: INestMicroservice;
  stop(): Promise<void>;
}

export async function startTenants(): Promise<TenantsHarness> {
  const nats: NatsHandle = await startTestNats();
  const config = configSchema.parse({ NODE_ENV: 'test', ...busEnv(nats, 'tenants'), DATABASE_URL: testDatabaseUrl(uniqueDatabaseName('tenants')), LOCKWELL_MASTER_KEY: testMasterKey(), LOG_LEVEL: 'silent' });
  const logger = createLogger('tenants', process.env.LOCKWELL_TEST_LOG_LEVEL ?? 'silent');
  const app = await startService({ name: 'tenants', config, logger, module: AppModule.register({ config, logger }) });
  // The stand-in connects as identity (only identity may serve identity's subjects).
  const identity = await NestFactory.createMicroservice<MicroserviceOptions>(IdentityStandInModule, {
    transport: Transport.NATS,
    options: { ...natsConnectOptions(loadBusCredentials('identity', busEnv(nats, 'identity')), 'identity-stand-in'), queue: 'identity' } as NatsOptions['options'],
    logger: new PinoNestLogger(logger),
  });
  await identity.listen();
  const orm = app.get(MikroORM);
  const rpc = createRpcClient(loadBusCredentials('gateway', busEnv(nats, 'gateway')), 'tenants-test-gateway', 5000);
  const observer = await connectAs(nats, 'observer');
  return {
    rpc,
    bus: nats,
    events: new EventLog(observer),
    em: () => orm.em.fork() as EntityManager,
    app,
    async stop() {
      await observer.close();
      await rpc.onApplicationShutdown();
      await identity.close();
      await app.close();
      await nats.stop();
    },
  };
}

/** A user known to identity (so it can be added as a member). */
export function newUser(name = 'user'): string {
  const id = randomUUID();
  identityFixtures.users.set(id, { id, email: `${name}-${id.slice(0, 8)}@example.test`, full_name: `${name} ${id.slice(0, 4)}`, status: 'active' });
  return id;
}

export function newCustomRole(permissions: string[]): string {
  const id = randomUUID();
  identityFixtures.roles.set(id, { id, name: `role-${id.slice(0, 8)}`, permissions });
  return id;
}

/** The CallContext the gateway would send for `userId`. Memberships are left empty on purpose by default:
 * tenants authorises from its own rows, never from what the gateway cached. */
export function ctxFor(userId: string, opts: Partial<Principal> = {}): CallContext {
  return {
    requestId: `test-${randomUUID()}`,
    principal: { kind: 'user', userId, tokenId: null, sessionId: null, globalRoles: [], globalPermissions: [], memberships: [], ...opts },
    ip: '127.0.0.1',
    userAgent: 'jest',
  };
}

export const ADMIN_GRANTS = { globalRoles: ['admin'], globalPermissions: ['tenants:read-all', 'users:read', 'users:manage'] };
export const OWNER_PERMISSIONS = BUILT_IN_TENANT_ROLES.owner;

/**
 * Publishes an event the way a participant's outbox relay would: with the owning service's bus credential and
 * signature (a fresh event id each time unless given).
 */
export async function publishEvent<E extends EventContract>(nats: NatsHandle, event: E, data: unknown, tenantId: string | null, id: string = randomUUID()): Promise<string> {
  const envelope: EventEnvelope = { id, subject: event.subject, occurredAt: new Date().toISOString(), tenantId, data };
  const owner = eventOwnerOf(event.subject) as BusIdentity;
  const nc = await connectAs(nats, owner);
  try {
    await publishSignedEvent(jetstream(nc), BusSigner.fromSeed(owner, nats.bus.keys[owner]!.seed, 'test'), event.subject, JSON.stringify(envelope), randomUUID());
  } finally {
    await nc.close();
  }
  return id;
}

/** Every event and audit envelope published on the bus since the harness started (core NATS sees JetStream publishes). */
export class EventLog {
  readonly seen: EventEnvelope<any>[] = [];
  constructor(observer: NatsConnection) {
    for (const subject of ['evt.>', 'audit.>']) {
      const sub = observer.subscribe(subject);
      void (async () => {
        for await (const m of sub) this.seen.push(m.json());
      })();
    }
  }

  on(subject: string, where: (data: any) => boolean = () => true): EventEnvelope<any>[] {
    return this.seen.filter((e) => e.subject === subject && where(e.data));
  }
}
