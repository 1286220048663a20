import { Controller, Inject, Optional, type Type } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { HealthCheck, type ServiceName } from '@lockwell/contracts';
import { RpcHandler } from '../rpc/rpc-handler.decorator.js';
import { LOCKWELL_VERSION } from '../version.js';
import { HEALTH_FIGURES } from '../tokens.js';

/** What a service provides under HEALTH_FIGURES to add its own gauges to its health report. */
export interface HealthFigures {
  figures(): Promise<Record<string, number>>;
}

/** Builds the `<service>.health.check` responder: the service is up and its database answers (plus its own gauges). */
export function healthHandlerFor(service: ServiceName): Type<unknown> {
  @Controller()
  class HealthHandler {
    constructor(
      @Inject(MikroORM) private readonly orm: MikroORM,
      @Optional() @Inject(HEALTH_FIGURES) private readonly extra?: HealthFigures,
    ) {}

    @RpcHandler(HealthCheck[service])
    async check() {
      const database = await this.orm.em
        .fork()
        .getConnection()
        .execute('select 1')
        .then(
          () => true,
          () => false,
        );
      // A gauge that cannot be read is left out rather than failing the health check.
      const figures = this.extra ? await this.extra.figures().catch(() => undefined) : undefined;
      return {
        service,
        status: database ? ('ok' as const) : ('degraded' as const),
        database,
        version: LOCKWELL_VERSION,
        ...(figures ? { figures } : {}),
      };
    }
  }
  return HealthHandler;
}
