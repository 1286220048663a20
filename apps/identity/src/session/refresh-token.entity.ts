import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export type RefreshTokenStatus = 'active' | 'used' | 'revoked';

/** One member of a session's refresh-token family, stored only as the SHA-256 of the opaque token. */
@Entity({ tableName: 'refresh_tokens' })
export class RefreshTokenEntity {
  [OptionalProps]?: 'usedAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  sessionId!: string;

  @Property({ type: 'text', unique: true, hidden: true })
  tokenHash!: string;

  @Property({ type: 'text' })
  status!: RefreshTokenStatus;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt: Date | null = null;
}
