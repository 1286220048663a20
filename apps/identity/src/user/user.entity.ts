import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export type UserStatus = 'active' | 'disabled';

/** A person who logs in. The argon2id hash is hidden and lazy: it is loaded only to verify a password. */
@Entity({ tableName: 'users' })
export class UserEntity {
  [OptionalProps]?: 'status' | 'tokensValidAfter' | 'lastLoginAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  email!: string;

  @Property({ type: 'text' })
  fullName!: string;

  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Property({ type: 'text' })
  status: UserStatus = 'active';

  /** Access tokens issued before this instant are refused (set when the user is disabled). */
  @Property({ type: 'timestamptz', nullable: true })
  tokensValidAfter: Date | null = null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null = null;
}
