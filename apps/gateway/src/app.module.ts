import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { BUS_CREDENTIALS, loadBusCredentials, LOGGER, NATS_BUS, NatsBus, rpcClientProviders, RpcClient, type BusCredentials, type Logger } from '@lockwell/service-kit';
import type { Config } from './config.js';
import { GATEWAY_CONFIG } from './tokens.js';
import { HttpErrorFilter } from './http/error.filter.js';
import { HealthController } from './health/health.controller.js';
import { DocsController } from './openapi/docs.controller.js';
import { HttpMetrics } from './metrics/http-metrics.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { IdentityGatewayModule } from './identity/identity.module.js';
import { TenantsGatewayModule } from './tenants/tenants.module.js';
import { SecretsGatewayModule } from './secrets/secrets.module.js';
import { RateLimits } from './rate-limit/rate-limits.js';
import { ConsoleGatewayModule } from './console/console.module.js';
import { AuditGatewayModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';

export interface GatewayOptions {
  config: Config;
  logger: Logger;
}

/** Drains the raw NATS connection when the gateway closes (it reconnects forever otherwise). */
@Injectable()
class BusCloser implements OnApplicationShutdown {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}
  async onApplicationShutdown() {
    await this.bus.close();
  }
}

/** Config, logger, NATS (RPC client + raw bus for broadcasts) shared by every gateway feature module. */
@Module({})
export class GatewayCoreModule {
  static register(opts: GatewayOptions): DynamicModule {
    return {
      module: GatewayCoreModule,
      global: true,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: opts.config },
        { provide: LOGGER, useValue: opts.logger },
        { provide: BUS_CREDENTIALS, useFactory: (): BusCredentials => loadBusCredentials('gateway', opts.config) },
        { provide: NATS_BUS, inject: [BUS_CREDENTIALS], useFactory: (bus: BusCredentials) => NatsBus.connect(bus, 'lockwell-gateway-bus') },
        ...rpcClientProviders('lockwell-gateway-rpc', opts.config.RPC_TIMEOUT_MS),
        BusCloser,
        RateLimits,
      ],
      exports: [GATEWAY_CONFIG, LOGGER, BUS_CREDENTIALS, NATS_BUS, RpcClient, RateLimits],
    };
  }
}

@Module({})
export class AppModule {
  static register(opts: GatewayOptions): DynamicModule {
    return {
      module: AppModule,
      // AuthModule also for /readyz, which reports whether authentication is available.
      imports: [GatewayCoreModule.register(opts), DiscoveryModule, AuthModule, IdentityGatewayModule, TenantsGatewayModule, SecretsGatewayModule, AuditGatewayModule, ConsoleGatewayModule],
      controllers: [HealthController, DocsController, MetricsController],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }, HttpMetrics],
    };
  }
}
