import { Migration } from '@mikro-orm/migrations';

/** Users, roles, sessions with their refresh-token families, signing keys, API tokens, login throttle. */
export class Migration20261126110000Identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "users" (
      "id" uuid primary key,
      "email" text not null unique,
      "full_name" text not null,
      "password_hash" text not null,
      "status" text not null default 'active' check ("status" in ('active', 'disabled')),
      "tokens_valid_after" timestamptz null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      "last_login_at" timestamptz null
    );`);
    this.addSql(`create index "users_created_at_id_idx" on "users" ("created_at", "id");`);
    this.addSql(`create table "roles" (
      "id" uuid primary key,
      "name" text not null unique,
      "description" text null,
      "permissions" jsonb not null default '[]',
      "built_in" boolean not null default false,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null
    );`);
    // Built-in global roles: fixed ids so every installation (and every replica) agrees on them.
    for (const [id, name, description] of [
      [
        '00000000-0000-4000-8000-000000000001',
        'admin',
        'Administers the installation: users, roles, services, all audit',
      ],
      ['00000000-0000-4000-8000-000000000002', 'member', 'A regular user: no installation-wide powers'],
      ['00000000-0000-4000-8000-000000000003', 'viewer', 'A read-mostly user: no installation-wide powers'],
    ]) {
      this.addSql(
        `insert into "roles" ("id", "name", "description", "permissions", "built_in", "created_at", "updated_at") values ('${id}', '${name}', '${description}', '[]', true, now(), now());`,
      );
    }
    this.addSql(`create table "user_roles" (
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "role_id" uuid not null references "roles" ("id") on delete cascade,
      primary key ("user_id", "role_id")
    );`);
    this.addSql(`create index "user_roles_role_id_idx" on "user_roles" ("role_id");`);
    this.addSql(`create table "sessions" (
      "id" uuid primary key,
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "created_at" timestamptz not null,
      "last_used_at" timestamptz not null,
      "expires_at" timestamptz not null,
      "idle_expires_at" timestamptz not null,
      "revoked_at" timestamptz null,
      "revoke_reason" text null,
      "ip" text null,
      "user_agent" text null
    );`);
    this.addSql(`create index "sessions_user_id_idx" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_revoked_at_idx" on "sessions" ("revoked_at") where "revoked_at" is not null;`);
    this.addSql(`create table "refresh_tokens" (
      "id" uuid primary key,
      "session_id" uuid not null references "sessions" ("id") on delete cascade,
      "token_hash" text not null unique,
      "status" text not null check ("status" in ('active', 'used', 'revoked')),
      "created_at" timestamptz not null,
      "expires_at" timestamptz not null,
      "used_at" timestamptz null
    );`);
    this.addSql(`create index "refresh_tokens_session_id_idx" on "refresh_tokens" ("session_id");`);
    this.addSql(`create table "signing_keys" (
      "kid" text primary key,
      "algorithm" text not null,
      "public_jwk" jsonb not null,
      "private_key_sealed" bytea not null,
      "created_at" timestamptz not null,
      "retired_at" timestamptz null,
      "publish_until" timestamptz null
    );`);
    this.addSql(`create table "api_tokens" (
      "id" uuid primary key,
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "name" text not null,
      "prefix" text not null,
      "token_hash" text not null unique,
      "tenant_id" uuid null,
      "permissions" jsonb not null,
      "expires_at" timestamptz not null,
      "created_at" timestamptz not null,
      "last_used_at" timestamptz null,
      "revoked_at" timestamptz null
    );`);
    this.addSql(`create index "api_tokens_user_id_idx" on "api_tokens" ("user_id");`);
    this.addSql(`create table "login_throttle" (
      "key" text primary key,
      "failures" int not null,
      "window_started_at" timestamptz not null,
      "locked_until" timestamptz null
    );`);
  }

  override async down(): Promise<void> {
    for (const t of [
      'login_throttle',
      'api_tokens',
      'signing_keys',
      'refresh_tokens',
      'sessions',
      'user_roles',
      'roles',
      'users',
    ])
      this.addSql(`drop table if exists "${t}";`);
  }
}
