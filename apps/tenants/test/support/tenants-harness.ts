// Boots the real tenants service on a fresh database and a nats-server of this test file's own, plus a
// stand-in for identity's two lookups (users by id, custom roles by id), so the tenants RPCs can be called
// with crafted CallContexts exactly as the gateway would send them.
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  BUILT_IN_TENANT_ROLES,
  IdentityRoleResolve,
  IdentityUserLookup,
  type CallContext,
  type EventContract,
  type EventEnvelope,
  type Principal,
} from '@lockwell/contracts';
import { createLogger, NATS_BUS, PinoNestLogger, RpcClient, RpcHandler, startService, type NatsBus } from '@lockwell/service-kit';
import { startTestNats, testDatabaseUrl, testMasterKey, uniqueDatabaseName } from '@lockwell/testing';
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
  rpc: RpcClient;
  bus: NatsBus;
  events: EventLog;
  em(): EntityManager;
  app: INestMicroservice;
  stop(): Promise<void>;
}

export async function startTenants(): Promise<TenantsHarness> {
  const nats: NatsHandle = await startTestNats();
  const config = configSchema.parse({ DATABASE_URL: testDatabaseUrl(uniqueDatabaseName('tenants')), NATS_URL: nats.url, LOCKWELL_MASTER_KEY: testMasterKey(), LOG_LEVEL: 'silent' });
  const logger = createLogger('tenants', process.env.LOCKWELL_TEST_LOG_LEVEL ?? 'silent');
  const app = await startService({ name: 'tenants', natsUrl: nats.url, logger, module: AppModule.register({ config, logger }) });
  const identity = await NestFactory.createMicroservice<MicroserviceOptions>(IdentityStandInModule, {
    transport: Transport.NATS,
    options: { servers: [nats.url], queue: 'identity' },
    logger: new PinoNestLogger(logger),
  });
  await identity.listen();
  const orm = app.get(MikroORM);
  return {
    rpc: app.get(RpcClient),
    bus: app.get<NatsBus>(NATS_BUS),
    events: new EventLog(app.get<NatsBus>(NATS_BUS)),
    em: () => orm.em.fork() as EntityManager,
    app,
    async stop() {
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

/** Publishes an event the way a participant's outbox relay would (a fresh event id each time unless given). */
export async function publishEvent<E extends EventContract>(bus: NatsBus, event: E, data: unknown, tenantId: string, id: string = randomUUID()): Promise<string> {
  const envelope: EventEnvelope = { id, subject: event.subject, occurredAt: new Date().toISOString(), tenantId, data };
  await bus.js.publish(event.subject, JSON.stringify(envelope), { msgID: randomUUID() });
  return id;
}

/** Every event and audit envelope published on the bus since the harness started (core NATS sees JetStream publishes). */
export class EventLog {
  readonly seen: EventEnvelope<any>[] = [];
  constructor(bus: NatsBus) {
    for (const subject of ['evt.>', 'audit.>']) {
      const sub = bus.nc.subscribe(subject);
      void (async () => {
        for await (const m of sub) this.seen.push(m.json());
      })();
    }
  }

  on(subject: string, where: (data: any) => boolean = () => true): EventEnvelope<any>[] {
    return this.seen.filter((e) => e.subject === subject && where(e.data));
  }
}
