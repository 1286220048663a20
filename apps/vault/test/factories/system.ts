import type { INestMicroservice } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CallContext, Principal, PrincipalMembership } from '@lockwell/contracts';
import { createLogger, createRpcClient, loadBusCredentials, type RpcClient, startService, type Clock } from '@lockwell/service-kit';
import type { NatsHandle } from '@lockwell/local-infra';
import { randomUUID } from 'node:crypto';
import { busEnv, FakeClock } from '@lockwell/testing';
import { AppModule } from '../../src/app.module.js';
import { configSchema } from '../../src/config.js';

/** A clock tests move by hand. */
export { FakeClock };

/** The instant the vault tests' fake clocks start at. */
export const TEST_START = '2026-12-01T10:00:00.000Z';

export interface VaultUnderTest {
  app: INestMicroservice;
  /** Calls the vault as the gateway does (signed with the gateway's bus key). */
  rpc: RpcClient;
  em(): EntityManager;
  stop(): Promise<void>;
}

/** Boots the vault service (same bootstrap as production) on `databaseUrl`. */
export async function startVault(opts: { databaseUrl: string; nats: NatsHandle; masterKey: string; clock: Clock; env?: Record<string, string> }): Promise<VaultUnderTest> {
  const config = configSchema.parse({
    NODE_ENV: 'test',
    ...busEnv(opts.nats, 'vault'),
    DATABASE_URL: opts.databaseUrl,
    LOCKWELL_MASTER_KEY: opts.masterKey,
    LOCKWELL_LIFECYCLE_INTERVAL_MS: '0',
    RPC_TIMEOUT_MS: '5000',
    ...opts.env,
  });
  const logger = createLogger('vault', (process.env.LOCKWELL_TEST_LOG_LEVEL as 'silent') ?? 'silent');
  const app = await startService({ name: 'vault', config, logger, module: AppModule.register({ config, logger, clock: opts.clock }) });
  const rpc = createRpcClient(loadBusCredentials('gateway', busEnv(opts.nats, 'gateway')), 'vault-test-gateway', 5000);
  return {
    app,
    rpc,
    em: () => app.get(MikroORM).em.fork() as EntityManager,
    stop: async () => {
      await rpc.onApplicationShutdown();
      await app.close();
    },
  };
}

/** A CallContext for a user (or an API token) with the given tenant memberships. */
export function as(userId: string, memberships: PrincipalMembership[] = [], extra: Partial<Principal> = {}): CallContext {
  return {
    requestId: `req-${randomUUID()}`,
    principal: { kind: 'user', userId, tokenId: null, sessionId: null, globalRoles: [], globalPermissions: [], memberships, ...extra },
    ip: '127.0.0.1',
    userAgent: 'vault-int-test',
  };
}

export const member = (tenantId: string, permissions: string[], role = 'custom'): PrincipalMembership => ({ tenantId, role, permissions });
