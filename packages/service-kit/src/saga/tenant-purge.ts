import type { EntityManager } from '@mikro-orm/postgresql';
import { TenantDeleting, type EventContract } from '@lockwell/contracts';
import type { EventConsumers } from '../inbox/event-consumer.js';
import type { Outbox } from '../outbox/outbox.service.js';

/**
 * Joins a service to the tenant deletion saga (docs/tenants.md): on TenantDeleting, `purge` deletes what the
 * service holds for the tenant and the `confirmation` event is queued in the same transaction, so it goes out
 * exactly when the purge committed. The durable consumer applies each TenantDeleting once.
 */
export function joinTenantPurge(
  consumers: EventConsumers,
  outbox: Outbox,
  confirmation: EventContract<typeof TenantDeleting.data>,
  purge: (tenantId: string, em: EntityManager) => Promise<void>,
): Promise<void> {
  return consumers.subscribe('tenant-purge', TenantDeleting, async ({ tenant_id }, _envelope, em) => {
    await purge(tenant_id, em);
    outbox.emit(em, confirmation, { tenant_id }, tenant_id);
    await em.flush();
  });
}
