import { Migration } from '@mikro-orm/migrations';

/**
 * Watched secrets (reminder state), queued notifications, the inbox, preferences, webhooks with their attempt
 * log, and per-recipient deliveries. The unique keys are what make everything exactly-once across replicas:
 * notifications.dedupe_key (one per secret version and threshold, or per event), inbox_items and deliveries
 * (one per notification and recipient).
 */
export class Migration20261204170000Notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "watched_secrets" (
      "secret_id" uuid primary key,
      "tenant_id" uuid null,
      "owner_id" uuid null,
      "service_name" text not null,
      "secret_key_name" text not null,
      "environment" text not null,
      "type" text not null,
      "version" int not null,
      "status" text not null,
      "expires_at" timestamptz null,
      "deletion_scheduled_at" timestamptz null,
      "rotation_interval_days" int null,
      "version_since" timestamptz not null,
      "last_event_at" timestamptz not null
    );`);
    this.addSql(`create index "watched_secrets_tenant_id_idx" on "watched_secrets" ("tenant_id");`);
    this.addSql(`create index "watched_secrets_owner_id_idx" on "watched_secrets" ("owner_id");`);
    this.addSql(`create table "notifications" (
      "id" uuid primary key,
      "dedupe_key" text not null,
      "kind" text not null,
      "audience" text not null,
      "tenant_id" uuid null,
      "user_id" uuid null,
      "resource_id" text null,
      "data" jsonb not null,
      "created_at" timestamptz not null,
      "next_dispatch_at" timestamptz not null,
      "dispatch_attempts" int not null default 0,
      "dispatched_at" timestamptz null
    );`);
    this.addSql(`alter table "notifications" add constraint "notifications_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(
      `create index "notifications_pending_idx" on "notifications" ("next_dispatch_at") where "dispatched_at" is null;`,
    );
    this.addSql(`create index "notifications_tenant_id_idx" on "notifications" ("tenant_id");`);
    this.addSql(`create table "inbox_items" (
      "id" uuid primary key,
      "notification_id" uuid not null,
      "user_id" uuid not null,
      "kind" text not null,
      "title" text not null,
      "body" text not null,
      "tenant_id" uuid null,
      "resource_id" text null,
      "created_at" timestamptz not null,
      "read_at" timestamptz null
    );`);
    this.addSql(
      `alter table "inbox_items" add constraint "inbox_items_notification_user_unique" unique ("notification_id", "user_id");`,
    );
    this.addSql(
      `create index "inbox_items_user_created_idx" on "inbox_items" ("user_id", "created_at" desc, "id" desc);`,
    );
    this.addSql(`create index "inbox_items_tenant_id_idx" on "inbox_items" ("tenant_id");`);
    this.addSql(`create table "preferences" (
      "user_id" uuid not null,
      "kind" text not null,
      "email" boolean not null,
      "webhook" boolean not null,
      "in_app" boolean not null,
      "updated_at" timestamptz not null,
      primary key ("user_id", "kind")
    );`);
    this.addSql(`create table "webhooks" (
      "id" uuid primary key,
      "tenant_id" uuid not null,
      "url" text not null,
      "events" jsonb not null,
      "description" text null,
      "secret_sealed" bytea not null,
      "status" text not null default 'active' check ("status" in ('active', 'disabled')),
      "disabled_reason" text null,
      "consecutive_failures" int not null default 0,
      "created_by" uuid null,
      "created_at" timestamptz not null
    );`);
    this.addSql(`create index "webhooks_tenant_created_idx" on "webhooks" ("tenant_id", "created_at", "id");`);
    this.addSql(`create table "deliveries" (
      "id" uuid primary key,
      "notification_id" uuid not null,
      "channel" text not null check ("channel" in ('email', 'webhook')),
      "target" text not null,
      "kind" text not null,
      "tenant_id" uuid null,
      "user_id" uuid null,
      "webhook_id" uuid null,
      "content" jsonb not null,
      "status" text not null default 'pending' check ("status" in ('pending', 'sent', 'failed', 'cancelled')),
      "attempts" int not null default 0,
      "next_attempt_at" timestamptz not null,
      "locked_until" timestamptz null,
      "last_error" text null,
      "created_at" timestamptz not null,
      "finished_at" timestamptz null
    );`);
    this.addSql(
      `alter table "deliveries" add constraint "deliveries_notification_channel_target_unique" unique ("notification_id", "channel", "target");`,
    );
    this.addSql(`create index "deliveries_due_idx" on "deliveries" ("next_attempt_at") where "status" = 'pending';`);
    this.addSql(`create index "deliveries_tenant_id_idx" on "deliveries" ("tenant_id");`);
    this.addSql(`create index "deliveries_user_id_idx" on "deliveries" ("user_id");`);
    this.addSql(`create table "webhook_attempts" (
      "id" uuid primary key,
      "tenant_id" uuid not null,
      "webhook_id" uuid not null,
      "delivery_id" uuid not null,
      "notification_id" uuid not null,
      "kind" text not null,
      "attempt" int not null,
      "attempted_at" timestamptz not null,
      "status_code" int null,
      "error" text null,
      "duration_ms" int not null,
      "succeeded" boolean not null
    );`);
    this.addSql(
      `create index "webhook_attempts_webhook_idx" on "webhook_attempts" ("tenant_id", "webhook_id", "attempted_at" desc, "id" desc);`,
    );
  }

  override async down(): Promise<void> {
    for (const t of [
      'webhook_attempts',
      'deliveries',
      'webhooks',
      'preferences',
      'inbox_items',
      'notifications',
      'watched_secrets',
    ])
      this.addSql(`drop table if exists "${t}";`);
  }
}
