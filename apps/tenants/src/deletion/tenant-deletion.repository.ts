import { Injectable } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TenantDeletionEntity } from './tenant-deletion.entity.js';

/** The `tenant_deletions` table: one saga row per tenant, by tenant id. */
@Injectable()
export class TenantDeletionRepository {
  start(em: EntityManager, tenantId: string, requestedBy: string, requestedAt: Date): TenantDeletionEntity {
    return em.create(TenantDeletionEntity, { tenantId, requestedBy, requestedAt });
  }

  /** The tenant's saga row, locked until commit: confirmations arriving together serialise on it. */
  lock(em: EntityManager, tenantId: string): Promise<TenantDeletionEntity | null> {
    return em.findOne(TenantDeletionEntity, { tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }
}
