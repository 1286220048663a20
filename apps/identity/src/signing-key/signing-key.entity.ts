import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A JWT signing key pair. The private half is sealed under the master key ring with AAD bound to the kid,
 * so a row copied to another kid (or a DB dump without the master key) yields nothing.
 * Active: `retiredAt` null. Retired keys stay in the JWKS until `publishUntil` (their last token expired).
 */
@Entity({ tableName: 'signing_keys' })
export class SigningKeyEntity {
  [OptionalProps]?: 'retiredAt' | 'publishUntil';

  @PrimaryKey({ type: 'text' })
  kid!: string;

  @Property({ type: 'text' })
  algorithm!: string;

  @Property({ type: 'json' })
  publicJwk!: Record<string, string>;

  @Property({ type: 'bytea', hidden: true, lazy: true })
  privateKeySealed!: Buffer;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  retiredAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  publishUntil: Date | null = null;
}
