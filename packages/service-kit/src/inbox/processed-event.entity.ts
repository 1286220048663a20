import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Remembers which event each consumer has applied, so redelivery (at-least-once) changes nothing. */
@Entity({ tableName: 'processed_events' })
export class ProcessedEvent {
  @PrimaryKey({ type: 'text' })
  consumer!: string;

  @PrimaryKey({ type: 'uuid' })
  eventId!: string;

  @Property({ type: 'timestamptz' })
  processedAt!: Date;
}
