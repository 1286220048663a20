import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** A role: built-in (permissions come from contracts) or custom (permissions from the catalogue, stored). */
@Entity({ tableName: 'roles' })
export class RoleEntity {
  [OptionalProps]?: 'description' | 'builtIn';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'json' })
  permissions!: string[];

  @Property({ type: 'boolean' })
  builtIn = false;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
