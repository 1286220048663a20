import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type Type,
} from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import type { ServiceName } from '@lockwell/contracts';
import type { MasterKeyRing } from '@lockwell/crypto';
import type { Logger } from 'pino';
import { CLOCK, systemClock, type Clock } from './clock.js';
import type { ServiceConfig } from './config/load-config.js';
import { loadBusCredentials, type BusCredentials } from './nats/bus-credentials.js';
import { CallSignatureGuard } from './rpc/call-signature.guard.js';
import { APP_GUARD } from '@nestjs/core';
import { ormOptions, type ServiceDatabase } from './database/orm-options.js';
import { CommitDeadline } from './database/commit-deadline.js';
import { healthHandlerFor, type HealthFigures } from './health/health.handler.js';
import { EventConsumers } from './inbox/event-consumer.js';
import { loadMasterKeyRing } from './master-key.js';
import { NatsBus } from './nats/nats-connection.js';
import { Outbox } from './outbox/outbox.service.js';
import { OutboxRelay } from './outbox/outbox-relay.js';
import { RpcClient } from './rpc/rpc-client.js';
import { rpcClientProviders } from './rpc/rpc-providers.js';
import {
  BUS_CREDENTIALS,
  HEALTH_FIGURES,
  LOGGER,
  MASTER_KEY_RING,
  NATS_BUS,
  SERVICE_CONFIG,
  SERVICE_NAME,
} from './tokens.js';

export interface ServiceKitOptions {
  name: ServiceName;
  config: ServiceConfig;
  database: ServiceDatabase;
  logger: Logger;
  /** Tests inject a fake clock; production uses the system clock. */
  clock?: Clock;
  /** Gauges the service adds to its health report (built from the kit's own providers, e.g. the bus). */
  healthFigures?: Type<HealthFigures>;
  /** The service's own settings derived from its config, injected by its feature modules under `provide`. */
  settings?: { provide: symbol; useValue: unknown };
}

/** Stops the relay and consumers before the NATS connection drains, so no in-flight publish is cut. */
@Injectable()
class KitLifecycle implements BeforeApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly consumers: EventConsumers,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
  ) {}

  // before*: runs ahead of every onApplicationShutdown, i.e. while the ORM pool is still open.
  async beforeApplicationShutdown() {
    await this.relay.stop();
    await this.consumers.stop();
    await this.bus.close();
  }
}

/**
 * Everything a backend service shares: config, logger, clock, master key ring, its MikroORM database, the
 * NATS bus (JetStream streams ensured), the typed RPC client, the outbox with its relay, durable event
 * consumers and the health responder. Global, so feature modules just inject what they use.
 */
@Module({})
export class ServiceKitModule {
  static forService(opts: ServiceKitOptions): DynamicModule {
    const { name, config } = opts;
    return {
      module: ServiceKitModule,
      global: true,
      imports: [
        MikroOrmModule.forRoot({
          // Acquiring a connection gives up well inside the RPC deadline, so the service itself answers 503.
          ...ormOptions(config.DATABASE_URL, opts.database, {
            acquireTimeoutMs: Math.round(config.RPC_TIMEOUT_MS * 0.6),
            applicationName: `lockwell-${name}`,
          }),
          registerRequestContext: false,
        }),
      ],
      controllers: [healthHandlerFor(name)],
      providers: [
        { provide: SERVICE_NAME, useValue: name },
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: LOGGER, useValue: opts.logger },
        { provide: CLOCK, useValue: opts.clock ?? systemClock },
        { provide: MASTER_KEY_RING, useFactory: (): MasterKeyRing => loadMasterKeyRing(config) },
        { provide: BUS_CREDENTIALS, useFactory: (): BusCredentials => loadBusCredentials(name, config) },
        {
          provide: NATS_BUS,
          inject: [BUS_CREDENTIALS],
          useFactory: async (credentials: BusCredentials) => {
            const bus = await NatsBus.connect(credentials, `lockwell-${name}-bus`);
            await bus.ensureStreams();
            return bus;
          },
        },
        ...rpcClientProviders(`lockwell-${name}-rpc`, config.RPC_TIMEOUT_MS),
        { provide: APP_GUARD, useClass: CallSignatureGuard },
        Outbox,
        OutboxRelay,
        EventConsumers,
        CommitDeadline,
        KitLifecycle,
        ...(opts.healthFigures ? [{ provide: HEALTH_FIGURES, useClass: opts.healthFigures }] : []),
        ...(opts.settings ? [opts.settings] : []),
      ],
      exports: [
        SERVICE_NAME,
        SERVICE_CONFIG,
        LOGGER,
        CLOCK,
        MASTER_KEY_RING,
        BUS_CREDENTIALS,
        NATS_BUS,
        RpcClient,
        Outbox,
        OutboxRelay,
        EventConsumers,
        ...(opts.settings ? [opts.settings.provide] : []),
      ],
    };
  }
}
