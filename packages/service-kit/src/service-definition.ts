import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import type { ServiceName } from '@lockwell/contracts';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { runService, startService } from './bootstrap.js';
import type { Clock } from './clock.js';
import { loadConfig, loadConfigOrExit, type ServiceConfig } from './config/load-config.js';
import { createLogger } from './logging/logger.js';

/** What an app's module factory takes: its parsed config, its logger, and (tests) a clock of their own. */
export interface ServiceAppOptions<C extends ServiceConfig = ServiceConfig> {
  config: C;
  logger: Logger;
  clock?: Clock;
}

/**
 * A service as the rest of the system sees it: its name in the service list (packages/contracts/src/services.ts),
 * its config schema and its root module. Every app exports one as `service` from its app.module.ts; main.ts,
 * the test kit (@lockwell/testing) and the e2e system all start a service from it, the same way.
 */
export interface ServiceDefinition<S extends z.ZodType<ServiceConfig> = z.ZodType<ServiceConfig>> {
  readonly name: ServiceName;
  readonly configSchema: S;
  module(opts: ServiceAppOptions<z.output<S>>): DynamicModule;
}

export const defineService = <S extends z.ZodType<ServiceConfig>>(
  definition: ServiceDefinition<S>,
): ServiceDefinition<S> => definition;

/** Parses `env` with the service's schema (refusing bad settings by name, never value) and starts it. */
export function startDefinedService(
  definition: ServiceDefinition,
  opts: { env: Record<string, string | undefined>; logger: Logger; clock?: Clock },
): Promise<INestMicroservice> {
  const config = loadConfig(definition.configSchema, opts.env);
  return startService({
    name: definition.name,
    config,
    logger: opts.logger,
    module: definition.module({ config, logger: opts.logger, clock: opts.clock }),
  });
}

/** The whole of an app's main.ts: config from the environment, its logger, start, clean stop on SIGINT/SIGTERM. */
export function runServiceMain(definition: ServiceDefinition): Promise<void> {
  const config = loadConfigOrExit(definition.configSchema);
  const logger = createLogger(definition.name, config.LOG_LEVEL);
  return runService({ name: definition.name, config, logger, module: definition.module({ config, logger }) });
}
