import { Migration } from '@mikro-orm/migrations';

/**
 * Audit records and chain checkpoints, append-only twice over (AUD-4): a trigger refuses UPDATE, DELETE and
 * TRUNCATE whoever runs them, and the service works as AUDIT_WRITER_ROLE, which may only SELECT and INSERT (the
 * role and its grants are ensured at every start: AuditWriterRole). The one way rows leave is audit_prune(), which
 * removes a chain prefix ending exactly at a checkpoint (retention).
 */
export class Migration20261204170000Audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "audit_records" (
      "id" uuid primary key,
      "chain" text not null,
      "seq" bigint not null check ("seq" > 0),
      "time" timestamptz not null,
      "tenant_id" uuid null,
      "service" text not null,
      "actor_type" text not null,
      "actor_id" text null,
      "action" text not null,
      "resource_type" text not null,
      "resource_id" text null,
      "outcome" text not null,
      "request_id" text null,
      "ip" text null,
      "user_agent" text null,
      "detail" jsonb not null,
      "prev_hash" text not null,
      "hash" text not null,
      "recorded_at" timestamptz not null,
      constraint "audit_records_chain_seq_unique" unique ("chain", "seq")
    );`);
    this.addSql(`create index "audit_records_time_idx" on "audit_records" ("time" desc, "id" desc);`);
    this.addSql(
      `create index "audit_records_tenant_time_idx" on "audit_records" ("tenant_id", "time" desc, "id" desc);`,
    );
    this.addSql(`create table "audit_checkpoints" (
      "id" uuid primary key,
      "chain" text not null,
      "seq" bigint not null,
      "head_hash" text not null,
      "record_count" bigint not null,
      "created_at" timestamptz not null,
      "signer" text not null,
      "signature" text not null,
      constraint "audit_checkpoints_chain_seq_unique" unique ("chain", "seq")
    );`);
    this.addSql(`create function audit_refuse_change() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and tg_table_name = 'audit_records' and current_setting('lockwell.audit_prune', true) = 'on' then
          return old;
        end if;
        raise exception 'audit % is append-only: % refused', tg_table_name, tg_op using errcode = '42501';
      end $$;`);
    for (const table of ['audit_records', 'audit_checkpoints']) {
      this.addSql(
        `create trigger "${table}_append_only" before update or delete on "${table}" for each row execute function audit_refuse_change();`,
      );
      this.addSql(
        `create trigger "${table}_no_truncate" before truncate on "${table}" for each statement execute function audit_refuse_change();`,
      );
    }
    this
      .addSql(`create function audit_prune(p_chain text, p_upto bigint) returns bigint language plpgsql security definer set search_path = public as $$
      declare removed bigint;
      begin
        if not exists (select 1 from audit_checkpoints where chain = p_chain and seq = p_upto) then
          raise exception 'no checkpoint at % of chain %', p_upto, p_chain using errcode = '22023';
        end if;
        perform set_config('lockwell.audit_prune', 'on', true);
        delete from audit_records where chain = p_chain and seq <= p_upto;
        get diagnostics removed = row_count;
        perform set_config('lockwell.audit_prune', 'off', true);
        return removed;
      end $$;`);
  }
}
