import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { ServiceName } from '@lockwell/contracts';
import { PinoNestLogger } from './logging/logger.js';
import { migrateWithLock } from './database/migrate.js';
import { checkDatabaseDurability } from './database/durability-check.js';
import type { ServiceConfig } from './config/load-config.js';
import { SERVICE_CONFIG } from './tokens.js';

export interface StartServiceOptions {
  name: ServiceName;
  natsUrl: string;
  module: DynamicModule;
  logger: Logger;
}

/**
 * Creates a service as a NestJS NATS microservice in the queue group named after it (replicas share the
 * load), checks that its database is durable (production refuses one that is not), runs its migrations as a
 * visible step, then starts listening. Used by main.ts and by the tests.
 */
export async function startService(opts: StartServiceOptions): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(opts.module, {
    transport: Transport.NATS,
    // Never give up reconnecting: after a NATS outage of any length the service comes back on its own.
    options: { servers: [opts.natsUrl], queue: opts.name, name: `lockwell-${opts.name}`, maxReconnectAttempts: -1, reconnectTimeWait: 500 },
    logger: new PinoNestLogger(opts.logger),
  });
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  await checkDatabaseDurability(app.get(MikroORM), { production: config.NODE_ENV === 'production', allowNonDurable: config.LOCKWELL_ALLOW_NON_DURABLE_DATABASE }, opts.logger);
  const applied = await migrateWithLock(app.get(MikroORM));
  opts.logger.info({ migrations: applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
  await app.listen();
  opts.logger.info(`${opts.name} service listening on NATS`);
  return app;
}

/**
 * The whole of a service's main.ts: start, log a fatal start-up error without a stack for config problems,
 * and close cleanly (drain NATS, close the pool) on SIGINT/SIGTERM.
 */
export async function runService(opts: StartServiceOptions): Promise<void> {
  let app: INestMicroservice;
  try {
    app = await startService(opts);
  } catch (err) {
    opts.logger.fatal({ err }, `${opts.name} failed to start: ${(err as Error).message}`);
    process.exit(1);
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    opts.logger.info(`${signal} received, shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}
