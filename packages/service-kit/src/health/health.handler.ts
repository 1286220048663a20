import { Controller, Inject, type Type } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { HealthCheck, type ServiceName } from '@lockwell/contracts';
import { RpcHandler } from '../rpc/rpc-handler.decorator.js';
import { LOCKWELL_VERSION } from '../version.js';


/** Builds the `<service>.health.check` responder: the service is up and its database answers. */
export function healthHandlerFor(service: ServiceName): Type<unknown> {
  @Controller()
  class HealthHandler {
    constructor(@Inject(MikroORM) private readonly orm: MikroORM) {}

    @RpcHandler(HealthCheck[service])
    async check() {
      const database = await this.orm.em
        .fork()
        .getConnection()
        .execute('select 1')
        .then(() => true, () => false);
      return { service, status: database ? ('ok' as const) : ('degraded' as const), database, version: LOCKWELL_VERSION };
    }
  }
  return HealthHandler;
}
