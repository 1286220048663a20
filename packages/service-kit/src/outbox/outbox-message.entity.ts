import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * An event waiting to be relayed to JetStream. Written in the same transaction as the state change it
 * describes (transactional outbox), so an acknowledged write never loses its event; deleted once published.
 */
@Entity({ tableName: 'outbox' })
export class OutboxMessage {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'json' })
  envelope!: Record<string, unknown>;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;
}
