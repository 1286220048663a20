import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The state of one tenant's deletion saga: when it was requested, which participant confirmed its purge
 * when, and when the tenant row was finally removed. Kept after completion as the saga's record.
 */
@Entity({ tableName: 'tenant_deletions' })
export class TenantDeletionEntity {
  [OptionalProps]?: 'vaultPurgedAt' | 'connectorsPurgedAt' | 'notificationsPurgedAt' | 'completedAt';

  @PrimaryKey({ type: 'uuid' })
  tenantId!: string;

  @Property({ type: 'uuid', nullable: true })
  requestedBy!: string | null;

  @Property({ type: 'timestamptz' })
  requestedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  vaultPurgedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  connectorsPurgedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  notificationsPurgedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  completedAt: Date | null = null;
}
