import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The database role every audit transaction runs as (docs/audit.md "Append-only"): SELECT and INSERT on the
 * records and checkpoints, EXECUTE on audit_prune, nothing else. The service's own login only owns the schema
 * (and runs migrations). So even a bug or an injection in this service cannot UPDATE or DELETE a record.
 */
export const AUDIT_WRITER_ROLE = 'lockwell_audit_writer';

/** Drops the transaction's privileges to AUDIT_WRITER_ROLE until it ends (SET LOCAL: the pooled connection comes back unchanged). */
export async function actAsWriter(em: EntityManager): Promise<void> {
  await em.execute(`set local role ${AUDIT_WRITER_ROLE}`);
}
