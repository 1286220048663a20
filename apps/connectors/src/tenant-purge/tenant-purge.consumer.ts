import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConnectorsTenantPurged } from '@lockwell/contracts';
import { EventConsumers, joinTenantPurge, Outbox } from '@lockwell/service-kit';

/** Connectors' part of the tenant deletion saga: purge the tenant's rows, confirm with ConnectorsTenantPurged. */
@Injectable()
export class TenantPurgeConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly outbox: Outbox,
  ) {}

  async onApplicationBootstrap() {
    // connectors owns no tenant-scoped table yet (its services, connections and pending authorisations come with the connectors issue), so the purge deletes nothing today; the confirmation
    // still goes out, and the delete statements belong in this callback once such tables exist.
    await joinTenantPurge(this.consumers, this.outbox, ConnectorsTenantPurged, async () => undefined);
  }
}
