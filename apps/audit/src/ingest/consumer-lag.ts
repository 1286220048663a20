import { Inject, Injectable } from '@nestjs/common';
import { AUDIT_RECORDS_CONSUMER } from '@lockwell/contracts';
import { NATS_BUS, type HealthFigures, type NatsBus } from '@lockwell/service-kit';

/**
 * The audit service's health gauge (in `audit.health.check` and GET /readyz): how many audit events the
 * stream holds that are not recorded yet. It grows while the service is down or the database is slow, and
 * falls back to 0 once it has caught up.
 */
@Injectable()
export class AuditConsumerLag implements HealthFigures {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}

  async figures(): Promise<Record<string, number>> {
    const jsm = await this.bus.manager();
    const info = await jsm.consumers.info(AUDIT_RECORDS_CONSUMER.stream, AUDIT_RECORDS_CONSUMER.durable);
    return { audit_consumer_pending: info.num_pending + info.num_ack_pending };
  }
}
