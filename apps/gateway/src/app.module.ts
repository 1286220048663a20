import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import {
  BUS_CREDENTIALS,
  loadBusCredentials,
  LOGGER,
  NATS_BUS,
  NatsBus,
  rpcClientProviders,
  RpcClient,
  type BusCredentials,
  type Logger,
} from '@lockwell/service-kit';
import { GATEWAY_CONFIG, type Config } from './config.js';
import { HttpErrorFilter } from './http/error.filter.js';
import { HealthModule } from './health/health.module.js';
import { OpenApiModule } from './openapi/openapi.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { IdentityGatewayModule } from './identity/identity.module.js';
import { TenantsGatewayModule } from './tenants/tenants.module.js';
import { SecretsGatewayModule } from './secrets/secrets.module.js';
import { ConnectorsGatewayModule } from './connectors/connectors.module.js';
import { RateLimits } from './rate-limit/rate-limits.js';
import { ConsoleGatewayModule } from './console/console.module.js';
import { NotificationsGatewayModule } from './notifications/notifications.module.js';
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
        {
          provide: NATS_BUS,
          inject: [BUS_CREDENTIALS],
          useFactory: (bus: BusCredentials) => NatsBus.connect(bus, 'lockwell-gateway-bus'),
        },
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
      // AuthModule first: it installs the global guard every feature's routes pass through.
      imports: [
        GatewayCoreModule.register(opts),
        AuthModule,
        HealthModule,
        MetricsModule,
        OpenApiModule,
        IdentityGatewayModule,
        TenantsGatewayModule,
        SecretsGatewayModule,
        ConnectorsGatewayModule,
        AuditGatewayModule,
        NotificationsGatewayModule,
        ConsoleGatewayModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
