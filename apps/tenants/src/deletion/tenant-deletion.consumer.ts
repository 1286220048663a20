import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConnectorsTenantPurged, NotificationsTenantPurged, VaultTenantPurged } from '@lockwell/contracts';
import { EventConsumers } from '@lockwell/service-kit';
import { TenantDeletionService } from './tenant-deletion.service.js';

/** Listens for the participants' purge confirmations (durable, applied once per event id). */
@Injectable()
export class TenantDeletionConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly deletion: TenantDeletionService,
  ) {}

  async onApplicationBootstrap() {
    await this.consumers.subscribe('deletion-vault', VaultTenantPurged, (d, env, em) => this.deletion.confirm(em, d.tenant_id, 'vault', env.id));
    await this.consumers.subscribe('deletion-connectors', ConnectorsTenantPurged, (d, env, em) => this.deletion.confirm(em, d.tenant_id, 'connectors', env.id));
    await this.consumers.subscribe('deletion-notifications', NotificationsTenantPurged, (d, env, em) => this.deletion.confirm(em, d.tenant_id, 'notifications', env.id));
  }
}
