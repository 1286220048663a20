import type { INestMicroservice } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CallContext, Principal } from '@lockwell/contracts';
import { createLogger, RpcClient, startService, type Clock } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../../src/app.module.js';
import { configSchema } from '../../src/config.js';

export interface IdentityUnderTest {
  app: INestMicroservice;
  rpc: RpcClient;
  em(): EntityManager;
  stop(): Promise<void>;
}

/** The administrator every identity under test bootstraps with. */
export const TEST_ADMIN = { email: 'admin@identity.test', password: 'a-long-admin-passphrase' };

/** Boots the identity service (same bootstrap as production) on `databaseUrl`. */
export async function startIdentity(opts: { databaseUrl: string; natsUrl: string; masterKey: string; clock?: Clock; env?: Record<string, string> }): Promise<IdentityUnderTest> {
  const config = configSchema.parse({
    NATS_URL: opts.natsUrl,
    DATABASE_URL: opts.databaseUrl,
    LOCKWELL_MASTER_KEY: opts.masterKey,
    LOG_LEVEL: 'silent',
    LOCKWELL_ADMIN_EMAIL: TEST_ADMIN.email,
    LOCKWELL_ADMIN_PASSWORD: TEST_ADMIN.password,
    ...opts.env,
  });
  const logger = createLogger('identity', (process.env.LOCKWELL_TEST_LOG_LEVEL as 'silent') ?? 'silent');
  const app = await startService({ name: 'identity', natsUrl: opts.natsUrl, logger, module: AppModule.register({ config, logger, clock: opts.clock }) });
  return { app, rpc: app.get(RpcClient), em: () => app.get(MikroORM).em.fork() as EntityManager, stop: () => app.close() };
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
