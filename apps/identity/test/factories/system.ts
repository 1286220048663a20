import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions, type NatsOptions } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TenantsMembershipRoleUsage, TenantsMembershipSoleOwner, type CallContext, type Principal } from '@lockwell/contracts';
import { createLogger, createRpcClient, loadBusCredentials, natsConnectOptions, PinoNestLogger, RpcHandler, type RpcClient, startService, type Clock } from '@lockwell/service-kit';
import type { NatsHandle } from '@lockwell/local-infra';
import { busEnv } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../../src/app.module.js';
import { configSchema } from '../../src/config.js';

export interface IdentityUnderTest {
  app: INestMicroservice;
  /** Calls identity as the gateway does (signed with the gateway's bus key). */
  rpc: RpcClient;
  em(): EntityManager;
  stop(): Promise<void>;
}

/** What the tenants stand-in answers: tenants using a custom role, tenants a user owns alone (default: none). */
export const tenantsFixtures = {
  roleUsage: new Map<string, number>(),
  soleOwner: new Map<string, string[]>(),
};

@Controller()
class TenantsStandIn {
  @RpcHandler(TenantsMembershipRoleUsage)
  roleUsage(data: { role_id: string }) {
    return { tenants: tenantsFixtures.roleUsage.get(data.role_id) ?? 0 };
  }

  @RpcHandler(TenantsMembershipSoleOwner)
  soleOwner(data: { user_id: string }) {
    return { tenant_ids: tenantsFixtures.soleOwner.get(data.user_id) ?? [] };
  }
}

@Module({ controllers: [TenantsStandIn] })
class TenantsStandInModule {}

/** The administrator every identity under test bootstraps with. */
export const TEST_ADMIN = { email: 'admin@identity.test', password: 'a-long-admin-passphrase' };

/** Boots the identity service (same bootstrap as production) on `databaseUrl`, with a stand-in for the two tenants calls it makes. */
export async function startIdentity(opts: { databaseUrl: string; nats: NatsHandle; masterKey: string; clock?: Clock; env?: Record<string, string> }): Promise<IdentityUnderTest> {
  const config = configSchema.parse({
    NODE_ENV: 'test',
    ...busEnv(opts.nats, 'identity'),
    DATABASE_URL: opts.databaseUrl,
    LOCKWELL_MASTER_KEY: opts.masterKey,
    LOG_LEVEL: 'silent',
    LOCKWELL_ADMIN_EMAIL: TEST_ADMIN.email,
    LOCKWELL_ADMIN_PASSWORD: TEST_ADMIN.password,
    ...opts.env,
  });
  const logger = createLogger('identity', (process.env.LOCKWELL_TEST_LOG_LEVEL as 'silent') ?? 'silent');
  const app = await startService({ name: 'identity', config, logger, module: AppModule.register({ config, logger, clock: opts.clock }) });
  // The stand-in connects as tenants (only tenants may serve tenants' subjects).
  const tenants = await NestFactory.createMicroservice<MicroserviceOptions>(TenantsStandInModule, {
    transport: Transport.NATS,
    options: { ...natsConnectOptions(loadBusCredentials('tenants', busEnv(opts.nats, 'tenants')), 'tenants-stand-in'), queue: 'tenants' } as NatsOptions['options'],
    logger: new PinoNestLogger(logger),
  });
  await tenants.listen();
  const rpc = createRpcClient(loadBusCredentials('gateway', busEnv(opts.nats, 'gateway')), 'identity-test-gateway', 5000);
  return {
    app,
    rpc,
    em: () => app.get(MikroORM).em.fork() as EntityManager,
    stop: async () => {
      await rpc.onApplicationShutdown();
      await tenants.close();
      await app.close();
    },
  };
}

/** A CallContext for a signed-in user with the given global permissions (what the gateway would resolve). */
export function as(userId: string, globalPermissions: string[] = [], extra: Partial<Principal> = {}): CallContext {
  return {
    requestId: `req-${randomUUID()}`,
    principal: { kind: 'user', userId, tokenId: null, sessionId: null, globalRoles: [], globalPermissions, memberships: [], ...extra },
    ip: '127.0.0.1',
    userAgent: 'identity-int-test',
  };
}

/** An anonymous call from a client (login, refresh). */
export const anonymous = (): CallContext => ({ requestId: `req-${randomUUID()}`, principal: null, ip: '127.0.0.1', userAgent: 'identity-int-test' });
