import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export type TenantStatus = 'active' | 'deleting';

/** A tenant. `deleting` while the deletion saga runs: it refuses writes until every participant purged. */
@Entity({ tableName: 'tenants' })
export class TenantEntity {
  [OptionalProps]?: 'status' | 'description';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', unique: true })
  slug!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'text' })
  status: TenantStatus = 'active';

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;

  @Property({ type: 'uuid', nullable: true })
  createdBy!: string | null;
}
