import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AUDIT_WRITER_ROLE } from './writer-role.js';

// Any constant: replicas starting together take turns (concurrent GRANTs on one object can fail).
const GRANTS_LOCK = 7_120_426_117;

/**
 * Makes sure the writer role exists with exactly its grants, at every start (after migrations). Roles belong to
 * the PostgreSQL cluster, not to the database, and a restore (`npm run restore`, which drops ownership and grants)
 * or a new cluster brings the tables without them; every statement here is idempotent.
 */
@Injectable()
export class AuditWriterRole implements OnModuleInit {
  constructor(private readonly orm: MikroORM) {}

  async onModuleInit() {
    await (this.orm.em.fork() as EntityManager).transactional(async (em) => {
      await em.execute(`select pg_advisory_xact_lock(${GRANTS_LOCK})`);
      await em.execute(`do $$ begin
          if not exists (select 1 from pg_roles where rolname = '${AUDIT_WRITER_ROLE}') then
            create role ${AUDIT_WRITER_ROLE} nologin;
          end if;
        exception when duplicate_object or unique_violation then null;
        end $$`);
      // SET ROLE needs membership; granting it needs ADMIN on the role, so only when it is missing.
      const [{ member }] = await em.execute<{ member: boolean }[]>(
        `select pg_has_role(current_user, '${AUDIT_WRITER_ROLE}', 'MEMBER') as member`,
      );
      if (!member) await em.execute(`grant ${AUDIT_WRITER_ROLE} to current_user`);
      await em.execute(`revoke all on audit_records, audit_checkpoints from public, ${AUDIT_WRITER_ROLE}`);
      await em.execute(`grant usage on schema public to ${AUDIT_WRITER_ROLE}`);
      await em.execute(`grant select, insert on audit_records, audit_checkpoints to ${AUDIT_WRITER_ROLE}`);
      await em.execute(`revoke all on function audit_prune(text, bigint) from public`);
      await em.execute(`grant execute on function audit_prune(text, bigint) to ${AUDIT_WRITER_ROLE}`);
    });
  }
}
