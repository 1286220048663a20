import { Migration } from '@mikro-orm/migrations';

/** The service kit's own tables, in every service database: the outbox and the consumer dedupe log. */
export class Migration20261125000000KitOutbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "outbox" ("id" uuid primary key, "subject" text not null, "envelope" jsonb not null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index if not exists "outbox_created_at_idx" on "outbox" ("created_at");`);
    this.addSql(
      `create table if not exists "processed_events" ("consumer" text not null, "event_id" uuid not null, "processed_at" timestamptz not null, primary key ("consumer", "event_id"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "processed_events";`);
    this.addSql(`drop table if exists "outbox";`);
  }
}
