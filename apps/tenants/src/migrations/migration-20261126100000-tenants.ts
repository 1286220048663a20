import { Migration } from '@mikro-orm/migrations';

/** Tenants, memberships and the deletion saga's state. */
export class Migration20261126100000Tenants extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "tenants" (
      "id" uuid primary key,
      "name" text not null,
      "slug" text not null,
      "description" text null,
      "status" text not null default 'active' check ("status" in ('active', 'deleting')),
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      "created_by" uuid null
    );`);
    this.addSql(`alter table "tenants" add constraint "tenants_slug_unique" unique ("slug");`);
    this.addSql(`create index "tenants_created_at_id_idx" on "tenants" ("created_at", "id");`);
    // Deferred: MikroORM knows no relation between the two entities, so it may insert the membership first.
    this.addSql(`create table "memberships" (
      "id" uuid primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade deferrable initially deferred,
      "user_id" uuid not null,
      "role" text not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null
    );`);
    this.addSql(
      `alter table "memberships" add constraint "memberships_tenant_id_user_id_unique" unique ("tenant_id", "user_id");`,
    );
    this.addSql(`create index "memberships_tenant_id_index" on "memberships" ("tenant_id");`);
    this.addSql(`create index "memberships_user_id_index" on "memberships" ("user_id");`);
    this.addSql(`create table "tenant_deletions" (
      "tenant_id" uuid primary key,
      "requested_by" uuid null,
      "requested_at" timestamptz not null,
      "vault_purged_at" timestamptz null,
      "connectors_purged_at" timestamptz null,
      "notifications_purged_at" timestamptz null,
      "completed_at" timestamptz null
    );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tenant_deletions";`);
    this.addSql(`drop table if exists "memberships";`);
    this.addSql(`drop table if exists "tenants";`);
  }
}
