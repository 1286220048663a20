import { Migration } from '@mikro-orm/migrations';

/**
 * Registered services, connections and pending authorisations. No token or credential is stored here: they are
 * sealed in the vault (docs/connectors.md "Storage"); this database holds metadata and mirrors of expiry for
 * listing and the refresh scheduler.
 */
export class Migration20261210110000Connectors extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "services" (
      "id" uuid primary key,
      "slug" text not null unique,
      "name" text not null,
      "description" text null,
      "preset" text null,
      "preset_params" jsonb not null default '{}',
      "protocol" text not null check ("protocol" in ('oauth2', 'oidc')),
      "authorization_url" text not null,
      "token_url" text not null,
      "revocation_url" text null,
      "issuer" text null,
      "jwks_uri" text null,
      "scopes" jsonb not null default '[]',
      "redirect_uri" text null,
      "extra_auth_params" jsonb not null default '{}',
      "quirks" jsonb not null,
      "credentials_set" jsonb not null default '[]',
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      "created_by" uuid null);`);
    this.addSql(`create index "services_created_at_id" on "services" ("created_at", "id");`);

    this.addSql(`create table "connections" (
      "id" uuid primary key,
      "service_id" uuid not null references "services" ("id") on delete cascade,
      "user_id" uuid not null,
      "tenant_id" uuid null,
      "status" text not null check ("status" in ('connected', 'refresh_failed', 'revoked')),
      "scopes" jsonb not null default '[]',
      "expires_at" timestamptz null,
      "token_version" int null,
      "has_refresh_token" boolean not null default false,
      "next_refresh_at" timestamptz null,
      "refresh_attempts" int not null default 0,
      "last_error" text null,
      "last_refreshed_at" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    // One connection per user, service and place (personal, or one tenant): reconnecting reuses it and its id.
    this.addSql(
      `create unique index "connections_owner" on "connections" ("service_id", "user_id", coalesce("tenant_id", '00000000-0000-0000-0000-000000000000'));`,
    );
    this.addSql(`create index "connections_user" on "connections" ("user_id", "created_at", "id");`);
    this.addSql(
      `create index "connections_tenant" on "connections" ("tenant_id", "created_at", "id") where "tenant_id" is not null;`,
    );
    this.addSql(
      `create index "connections_due" on "connections" ("next_refresh_at") where "status" = 'connected' and "next_refresh_at" is not null;`,
    );

    // The state itself is never stored, only its SHA-256; the PKCE verifier and nonce are sealed (docs/connectors.md).
    this.addSql(`create table "authorization_requests" (
      "state_hash" text primary key,
      "service_id" uuid not null references "services" ("id") on delete cascade,
      "user_id" uuid not null,
      "tenant_id" uuid null,
      "scopes" jsonb not null,
      "sealed_checks" bytea not null,
      "binding_hash" text null,
      "return_to" text null,
      "created_at" timestamptz not null,
      "expires_at" timestamptz not null,
      "used_at" timestamptz null);`);
    this.addSql(`create index "authorization_requests_expires_at" on "authorization_requests" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "authorization_requests";`);
    this.addSql(`drop table if exists "connections";`);
    this.addSql(`drop table if exists "services";`);
  }
}
