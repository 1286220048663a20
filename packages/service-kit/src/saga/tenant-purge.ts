import {
  Inject,
  Injectable,
  Module,
  Optional,
  type DynamicModule,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type Type,
} from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  allConsumerContracts,
  TENANT_PURGE_CONFIRMATIONS,
  TenantDeleting,
  type TenantPurgeParticipant,
} from '@lockwell/contracts';
import { EventConsumers } from '../inbox/event-consumer.js';
import { Outbox } from '../outbox/outbox.service.js';
import { SERVICE_NAME } from '../tokens.js';

/** What a service deletes of a tenant being deleted; runs in the consumer's transaction, before the confirmation. */
export interface TenantPurger {
  purgeTenant(em: EntityManager, tenantId: string, eventId: string): Promise<void>;
}
export const TENANT_PURGER = Symbol('TENANT_PURGER');

/**
 * Joins `service` to the tenant deletion saga (docs/tenants.md): on TenantDeleting, `purge` deletes what the
 * service holds for the tenant and the service's confirmation (TENANT_PURGE_CONFIRMATIONS in contracts) is
 * queued in the same transaction, so it goes out exactly when the purge committed. The durable consumer is the
 * one the contracts declare for this service and TenantDeleting, and applies each TenantDeleting once.
 */
export function joinTenantPurge(
  consumers: EventConsumers,
  outbox: Outbox,
  service: string,
  purge: TenantPurger['purgeTenant'],
): Promise<void> {
  const confirmation = TENANT_PURGE_CONFIRMATIONS[service as TenantPurgeParticipant];
  const consumer = allConsumerContracts().find((c) => c.service === service && c.event === TenantDeleting);
  if (!confirmation || !consumer) {
    throw new Error(
      `${service} takes no part in the tenant deletion saga: list it in TENANT_PURGE_CONFIRMATIONS and declare its TenantDeleting consumer (packages/contracts)`,
    );
  }
  return consumers.subscribe(consumer.name, TenantDeleting, async ({ tenant_id }, envelope, em) => {
    await purge(em, tenant_id, envelope.id);
    outbox.emit(em, confirmation, { tenant_id }, tenant_id);
    await em.flush();
  });
}

@Injectable()
class TenantPurgeParticipantService implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly outbox: Outbox,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Optional() @Inject(TENANT_PURGER) private readonly purger?: TenantPurger,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return joinTenantPurge(
      this.consumers,
      this.outbox,
      this.service,
      (em, tenantId, eventId) => this.purger?.purgeTenant(em, tenantId, eventId) ?? Promise.resolve(),
    );
  }
}

/**
 * The one way a service takes part in the tenant deletion saga. Without a purger it only confirms (a service
 * that holds no tenant data yet); with one, `purger` (a provider that a module in `imports` exports) deletes
 * the tenant's rows first.
 */
@Module({})
export class TenantPurgeModule {
  static register(opts: { purger?: Type<TenantPurger>; imports?: ModuleMetadata['imports'] } = {}): DynamicModule {
    return {
      module: TenantPurgeModule,
      imports: opts.imports ?? [],
      providers: [
        ...(opts.purger ? [{ provide: TENANT_PURGER, useExisting: opts.purger }] : []),
        TenantPurgeParticipantService,
      ],
    };
  }
}
