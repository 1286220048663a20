import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/** Who belongs to which tenant with which role (a built-in role name or a custom role id from identity). */
@Entity({ tableName: 'memberships' })
@Unique({ properties: ['tenantId', 'userId'] })
export class MembershipEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', index: true })
  tenantId!: string;

  @Property({ type: 'uuid', index: true })
  userId!: string;

  @Property({ type: 'text' })
  role!: string;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
