import { Migration } from '@mikro-orm/migrations';

/**
 * The connectors service's sealed items (docs/connectors.md "Storage"): OAuth client credentials and connection
 * tokens, sealed like secret values under their scope's data key, in tables no secrets route reads. Services
 * get data keys of their own (scope type `service`) for their credentials.
 */
export class Migration20261210100000VaultConnectorSecrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "data_keys" drop constraint if exists "data_keys_scope_type_check";`);
    this.addSql(
      `alter table "data_keys" add constraint "data_keys_scope_type_check" check ("scope_type" in ('tenant', 'user', 'service'));`,
    );
    this.addSql(`create table "connector_secrets" (
      "id" uuid primary key,
      "kind" text not null check ("kind" in ('service_credential', 'connection_tokens')),
      "scope_type" text not null check ("scope_type" in ('tenant', 'user', 'service')),
      "scope_id" uuid not null,
      "service_id" uuid not null,
      "owner_id" uuid not null,
      "name" text not null,
      "current_version" int not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      unique ("kind", "owner_id", "name"));`);
    this.addSql(`create index "connector_secrets_scope" on "connector_secrets" ("scope_type", "scope_id");`);
    this.addSql(`create index "connector_secrets_service" on "connector_secrets" ("service_id");`);
    this.addSql(`create table "connector_secret_versions" (
      "item_id" uuid not null references "connector_secrets" ("id") on delete cascade,
      "version" int not null,
      "ciphertext" bytea not null,
      "data_key_version" int not null,
      "created_at" timestamptz not null,
      primary key ("item_id", "version"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "connector_secret_versions";`);
    this.addSql(`drop table if exists "connector_secrets";`);
    this.addSql(`delete from "data_keys" where "scope_type" = 'service';`);
    this.addSql(`alter table "data_keys" drop constraint if exists "data_keys_scope_type_check";`);
    this.addSql(
      `alter table "data_keys" add constraint "data_keys_scope_type_check" check ("scope_type" in ('tenant', 'user'));`,
    );
  }
}
