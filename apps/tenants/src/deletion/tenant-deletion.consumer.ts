import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { TENANT_PURGE_CONFIRMATIONS, TENANT_PURGE_PARTICIPANTS } from '@lockwell/contracts';
import { EventConsumers } from '@lockwell/service-kit';
import { TenantDeletionService } from './tenant-deletion.service.js';

/** Listens for each participant's purge confirmation (durable, applied once per event id). */
@Injectable()
export class TenantDeletionConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly deletion: TenantDeletionService,
  ) {}

  async onApplicationBootstrap() {
    for (const participant of TENANT_PURGE_PARTICIPANTS) {
      await this.consumers.subscribe(`deletion-${participant}`, TENANT_PURGE_CONFIRMATIONS[participant], (d, env, em) =>
        this.deletion.confirm(em, d.tenant_id, participant, env.id),
      );
    }
  }
}
