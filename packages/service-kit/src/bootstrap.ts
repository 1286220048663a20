import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions, type NatsOptions } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { ServiceName } from '@lockwell/contracts';
import { PinoNestLogger } from './logging/logger.js';
import { createDatabaseIfMissing } from './database/create-database.js';
import { migrateWithLock } from './database/migrate.js';
import { loadBusCredentials, natsConnectOptions, type BusSettings } from './nats/bus-credentials.js';
import { ReplyBindingDeserializer } from './rpc/reply-binding.deserializer.js';
import { checkDatabaseDurability } from './database/durability-check.js';
import type { ServiceConfig } from './config/load-config.js';
import { SERVICE_CONFIG } from './tokens.js';

export interface StartServiceOptions {
  name: ServiceName;
  /** The service's parsed config: where NATS is and the credential it connects with, and its database. */
  config: BusSettings & { DATABASE_URL?: string };
  module: DynamicModule;
  logger: Logger;
}

/**
 * Creates a service as a NestJS NATS microservice in the queue group named after it (replicas share the
 * load), connected with its own credential, checks that its database is durable (production refuses one that
 * is not), runs its migrations as a visible step, then starts listening. Used by main.ts and by the tests.
 */
export async function startService(opts: StartServiceOptions): Promise<INestMicroservice> {
  const bus = loadBusCredentials(opts.name, opts.config);
  if (opts.config.DATABASE_URL) await createDatabaseIfMissing(opts.config.DATABASE_URL);
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(opts.module, {
    transport: Transport.NATS,
    options: {
      ...natsConnectOptions(bus, `lockwell-${opts.name}`),
      queue: opts.name,
      deserializer: new ReplyBindingDeserializer(),
    } as NatsOptions['options'],
    logger: new PinoNestLogger(opts.logger),
    // A provider that fails to start (NATS unreachable, a bad key) rejects here instead of Nest calling
    // process.exit itself: runService logs it as one fatal line, tests see the error.
    abortOnError: false,
  });
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  await checkDatabaseDurability(
    app.get(MikroORM),
    { production: config.NODE_ENV === 'production', allowNonDurable: config.LOCKWELL_ALLOW_NON_DURABLE_DATABASE },
    opts.logger,
  );
  const applied = await migrateWithLock(app.get(MikroORM));
  opts.logger.info(
    { migrations: applied },
    applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date',
  );
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
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}
