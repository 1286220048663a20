import { Migration } from '@mikro-orm/migrations';

/**
 * The vault schema. Plaintext never lands in any column: values live only in secret_versions.ciphertext
 * (AES-256-GCM under the scope's data key) and data keys only wrapped by the master key. docs/vault.md
 * explains each index.
 */
export class Migration20261126120000VaultInit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create table "data_keys" (
      "id" uuid primary key,
      "scope_type" text not null check ("scope_type" in ('tenant', 'user')),
      "scope_id" uuid not null,
      "version" int not null,
      "wrapped_key" bytea not null,
      "master_key_id" int not null,
      "state" text not null check ("state" in ('active', 'decrypt_only')),
      "encryption_count" bigint not null default 0,
      "created_at" timestamptz not null,
      unique ("scope_type", "scope_id", "version"));`);
    // One active data key per scope; the re-wrap job walks keys not under the active master key.
    this.addSql(
      `create unique index "data_keys_one_active" on "data_keys" ("scope_type", "scope_id") where "state" = 'active';`,
    );
    this.addSql(`create index "data_keys_master_key_id" on "data_keys" ("master_key_id", "id");`);

    this.addSql(`create table "secrets" (
      "id" uuid primary key,
      "scope_type" text not null check ("scope_type" in ('tenant', 'user')),
      "tenant_id" uuid null,
      "owner_id" uuid null,
      "service_name" text not null,
      "secret_key_name" text not null,
      "type" text not null,
      "environment" text not null,
      "description" text null,
      "tags" jsonb not null default '[]',
      "current_version" int not null,
      "status" text not null check ("status" in ('active', 'inactive', 'scheduled_for_deletion')),
      "expires_at" timestamptz null,
      "expiry_notified_for" timestamptz null,
      "deletion_scheduled_at" timestamptz null,
      "last_accessed_at" timestamptz null,
      "activity_at" timestamptz not null,
      "inactive_since" timestamptz null,
      "rotation_interval_days" int null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      "created_by" uuid not null,
      check (("scope_type" = 'tenant' and "tenant_id" is not null and "owner_id" is null) or ("scope_type" = 'user' and "owner_id" is not null and "tenant_id" is null)));`);
    this.addSql(
      `create unique index "secrets_unique_name" on "secrets" ("scope_type", coalesce("tenant_id", "owner_id"), "environment", "service_name", "secret_key_name");`,
    );
    this.addSql(
      `create index "secrets_tenant_list" on "secrets" ("tenant_id", "created_at" desc, "id" desc) where "tenant_id" is not null;`,
    );
    this.addSql(
      `create index "secrets_owner_list" on "secrets" ("owner_id", "created_at" desc, "id" desc) where "owner_id" is not null;`,
    );
    this.addSql(
      `create index "secrets_tenant_service" on "secrets" ("tenant_id", "service_name", "created_at" desc, "id" desc) where "tenant_id" is not null;`,
    );
    this.addSql(
      `create index "secrets_tenant_environment" on "secrets" ("tenant_id", "environment", "created_at" desc, "id" desc) where "tenant_id" is not null;`,
    );
    this.addSql(
      `create index "secrets_tenant_status" on "secrets" ("tenant_id", "status", "created_at" desc, "id" desc) where "tenant_id" is not null;`,
    );
    this.addSql(`create index "secrets_expires_at" on "secrets" ("expires_at") where "expires_at" is not null;`);
    this.addSql(
      `create index "secrets_search" on "secrets" using gin (("service_name" || ' ' || "secret_key_name" || ' ' || coalesce("description", '')) gin_trgm_ops);`,
    );
    this.addSql(`create index "secrets_due_inactive" on "secrets" ("activity_at") where "status" = 'active';`);
    this.addSql(
      `create index "secrets_due_deletion" on "secrets" ("deletion_scheduled_at") where "status" = 'scheduled_for_deletion';`,
    );

    this.addSql(`create table "secret_versions" (
      "secret_id" uuid not null references "secrets" ("id") on delete cascade,
      "version" int not null,
      "ciphertext" bytea not null,
      "data_key_version" int not null,
      "created_at" timestamptz not null,
      "created_by" uuid not null,
      primary key ("secret_id", "version"));`);

    this.addSql(`create table "secret_access" (
      "secret_id" uuid not null references "secrets" ("id") on delete cascade,
      "consumer_type" text not null check ("consumer_type" in ('user', 'api_token')),
      "consumer_id" uuid not null,
      "first_accessed_at" timestamptz not null,
      "last_accessed_at" timestamptz not null,
      "access_count" bigint not null default 1,
      primary key ("secret_id", "consumer_type", "consumer_id"));`);

    // Scopes that were crypto-shredded (tenant deleted, user deleted): never get a new data key.
    this.addSql(
      `create table "purged_scopes" ("scope_type" text not null, "scope_id" uuid not null, "purged_at" timestamptz not null, primary key ("scope_type", "scope_id"));`,
    );
  }
}
