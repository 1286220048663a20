import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretScope, SecretStatus, SecretType } from '@lockwell/contracts';
import { likePattern, type KeysetPosition } from '@lockwell/service-kit';
import type { SecretReach } from '../access/secret-access.policy.js';
import type { Scope } from '../keys/scope.js';
import type { SecretRow } from '../record/secret.row.js';
import type { SealedValue } from './secret-version.repository.js';

export interface SecretListFilter {
  service_name?: string;
  type?: SecretType;
  status?: SecretStatus;
  expiring_before?: string;
  q?: string;
  /** null: every environment; otherwise only these (environment-limited grants). */
  environments: string[] | null;
}

export type NewSecret = Omit<
  SecretRow,
  'expiry_notified_for' | 'inactive_since' | 'deletion_scheduled_at' | 'last_accessed_at'
>;

/** Columns a PUT or a lifecycle change may set. */
export type SecretChanges = Partial<
  Omit<SecretRow, 'id' | 'scope_type' | 'tenant_id' | 'owner_id' | 'created_at' | 'created_by' | 'type'>
>;

const scopeColumn = (type: SecretScope) => (type === 'tenant' ? 'tenant_id' : 'owner_id');
// jsonb needs a JSON literal; MikroORM would expand a JS array into a value list.
// Dates may come from another realm (node internals under jest), so no `instanceof`.
const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';
const columnValue = (key: string, value: unknown) =>
  key === 'tags' ? JSON.stringify(value) : isDate(value) ? value.toISOString() : value;

/**
 * The `secrets` table. Every statement names its scope first: the caller's reach for a lookup by id, the
 * secret's own scope (tenant or owner) for a change. The lifecycle sweeps, which walk every scope on the
 * installation's behalf, are the one exception and say so.
 */
@Injectable()
export class SecretRepository {
  async insert(em: EntityManager, row: NewSecret): Promise<void> {
    const cols = Object.keys(row) as (keyof NewSecret)[];
    await em.execute(
      `insert into secrets (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`,
      cols.map((c) => columnValue(c, row[c])),
    );
  }

  /** A secret within the caller's reach by id (locked for update when asked); the caller then authorises on it. */
  async find(
    em: EntityManager,
    reach: SecretReach,
    id: string,
    opts: { lock?: boolean } = {},
  ): Promise<SecretRow | undefined> {
    const lock = opts.lock ? ' for update' : '';
    if (reach.type === 'user')
      return first(
        em.execute<SecretRow[]>(`select * from secrets where scope_type = 'user' and owner_id = ? and id = ?${lock}`, [
          reach.ownerId,
          id,
        ]),
      );
    if (!reach.tenantIds.length) return undefined;
    return first(
      em.execute<SecretRow[]>(
        `select * from secrets where scope_type = 'tenant' and tenant_id in (?) and id = ?${lock}`,
        [reach.tenantIds, id],
      ),
    );
  }

  /**
   * A secret within the caller's reach by id with its sealed version `version` (the current one when null) in
   * the same statement: a value read costs one round trip before its records. `sealed` is undefined when the
   * secret has no such version.
   */
  async findWithSealed(
    em: EntityManager,
    reach: SecretReach,
    id: string,
    version: number | null,
  ): Promise<{ row: SecretRow; sealed: SealedValue | undefined } | undefined> {
    const where =
      reach.type === 'user'
        ? { sql: `s.scope_type = 'user' and s.owner_id = ?`, params: [reach.ownerId] }
        : { sql: `s.scope_type = 'tenant' and s.tenant_id in (?)`, params: [reach.tenantIds] };
    if (reach.type === 'tenant' && !reach.tenantIds.length) return undefined;
    const found = await first(
      em.execute<
        (SecretRow & { sealed_version: number | null; sealed_ciphertext: Buffer; sealed_key_version: number })[]
      >(
        `select s.*, v.version as sealed_version, v.ciphertext as sealed_ciphertext, v.data_key_version as sealed_key_version
         from secrets s left join secret_versions v on v.secret_id = s.id and v.version = coalesce(?::int, s.current_version)
         where ${where.sql} and s.id = ?`,
        [version, ...where.params, id],
      ),
    );
    if (!found) return undefined;
    const { sealed_version, sealed_ciphertext, sealed_key_version, ...row } = found;
    return {
      row,
      sealed:
        sealed_version === null
          ? undefined
          : { version: sealed_version, ciphertext: sealed_ciphertext, data_key_version: sealed_key_version },
    };
  }

  async update(em: EntityManager, scope: Scope, id: string, changes: SecretChanges): Promise<SecretRow> {
    const cols = Object.keys(changes) as (keyof SecretChanges)[];
    const rows = await em.execute<SecretRow[]>(
      `update secrets set ${cols.map((c) => `"${c}" = ?`).join(', ')} where scope_type = ? and ${scopeColumn(scope.type)} = ? and id = ? returning *`,
      [...cols.map((c) => columnValue(c, changes[c])), scope.type, scope.id, id],
    );
    return rows[0];
  }

  /** Destroys a secret with all its versions and access records (ON DELETE CASCADE). */
  async destroy(em: EntityManager, scope: Scope, id: string): Promise<void> {
    await em.execute(`delete from secrets where scope_type = ? and ${scopeColumn(scope.type)} = ? and id = ?`, [
      scope.type,
      scope.id,
      id,
    ]);
  }

  /** Crypto-shredding: every secret of the scope (with versions and access records); how many there were. */
  async destroyAllOf(em: EntityManager, scope: Scope): Promise<number> {
    const rows = await em.execute(
      `delete from secrets where scope_type = ? and ${scopeColumn(scope.type)} = ? returning id`,
      [scope.type, scope.id],
    );
    return rows.length;
  }

  /**
   * How many secrets the scope holds, after taking the scope's creation lock for the rest of the transaction,
   * so two concurrent creates cannot both pass a quota check at its limit.
   */
  async lockAndCount(em: EntityManager, scope: Scope): Promise<number> {
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
      `vault.secrets:${scope.type}:${scope.id}`,
    ]);
    const rows = await em.execute<{ n: number }[]>(
      `select count(*)::int as n from secrets where scope_type = ? and ${scopeColumn(scope.type)} = ?`,
      [scope.type, scope.id],
    );
    return rows[0]?.n ?? 0;
  }

  /** Whether another secret of the scope already has this (environment, service, key) name. */
  async nameTaken(
    em: EntityManager,
    scope: Scope,
    name: { environment: string; service_name: string; secret_key_name: string },
    exceptId: string,
  ): Promise<boolean> {
    const rows = await em.execute(
      `select 1 from secrets where scope_type = ? and ${scopeColumn(scope.type)} = ? and environment = ? and service_name = ? and secret_key_name = ? and id <> ?`,
      [scope.type, scope.id, name.environment, name.service_name, name.secret_key_name, exceptId],
    );
    return rows.length > 0;
  }

  /** One keyset page, newest first; served by the (scope, [filter,] created_at desc, id desc) indexes. */
  async list(
    em: EntityManager,
    scope: Scope,
    filter: SecretListFilter,
    cursor: KeysetPosition | undefined,
    limit: number,
  ): Promise<SecretRow[]> {
    const where = [`scope_type = ?`, `${scopeColumn(scope.type)} = ?`];
    const params: unknown[] = [scope.type, scope.id];
    const add = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (filter.environments) {
      if (!filter.environments.length) return [];
      add(`environment in (?)`, filter.environments);
    }
    if (filter.service_name) add(`service_name = ?`, filter.service_name);
    if (filter.type) add(`type = ?`, filter.type);
    if (filter.status) add(`status = ?`, filter.status);
    if (filter.expiring_before) add(`expires_at < ?::timestamptz`, filter.expiring_before);
    if (filter.q)
      add(
        `(service_name || ' ' || secret_key_name || ' ' || coalesce(description, '')) ilike ?`,
        likePattern(filter.q),
      );
    if (cursor) add(`(created_at, id) < (?::timestamptz, ?::uuid)`, cursor.at, cursor.id);
    params.push(limit);
    return em.execute<SecretRow[]>(
      `select * from secrets where ${where.join(' and ')} order by created_at desc, id desc limit ?`,
      params,
    );
  }

  /** Reads count as use: bumps last access and, for inactive or scheduled secrets, reactivates. */
  async markRead(
    em: EntityManager,
    scope: Scope,
    id: string,
    now: Date,
  ): Promise<{ reactivated: SecretRow | undefined }> {
    const at = now.toISOString();
    const where = `scope_type = ? and ${scopeColumn(scope.type)} = ? and id = ?`;
    const reactivated = await em.execute<SecretRow[]>(
      `update secrets set status = 'active', inactive_since = null, deletion_scheduled_at = null, last_accessed_at = ?, activity_at = ? where ${where} and status <> 'active' returning *`,
      [at, at, scope.type, scope.id, id],
    );
    if (!reactivated.length)
      await em.execute(`update secrets set last_accessed_at = ?, activity_at = ? where ${where}`, [
        at,
        at,
        scope.type,
        scope.id,
        id,
      ]);
    return { reactivated: reactivated[0] };
  }

  /**
   * Marks active secrets read at `now` (batched reads): never moves a time backwards, and leaves secrets that
   * changed state since they were loaded to the single-read path, which reactivates them (see ReadRecorder).
   */
  async touchRead(em: EntityManager, ids: string[], now: Date): Promise<void> {
    const at = now.toISOString();
    await em.execute(
      `update secrets set last_accessed_at = greatest(last_accessed_at, ?::timestamptz), activity_at = greatest(activity_at, ?::timestamptz) where id in (?) and status = 'active'`,
      [at, at, ids],
    );
  }

  // --- lifecycle sweeps: installation-wide, each claiming at most `limit` rows with FOR UPDATE SKIP LOCKED and
  // changing them in the same statement, so replicas running the job together never transition a row twice.

  /** Active secrets last used at or before `before` become inactive as of `now`. */
  sweepInactive(em: EntityManager, before: Date, now: Date, limit: number): Promise<SecretRow[]> {
    return em.execute<SecretRow[]>(
      `with due as (select id from secrets where status = 'active' and activity_at <= ? order by activity_at limit ? for update skip locked)
       update secrets s set status = 'inactive', inactive_since = ?, updated_at = ? from due where s.id = due.id returning s.*`,
      [before.toISOString(), limit, now.toISOString(), now.toISOString()],
    );
  }

  /** Secrets whose scheduled deletion came due at `now` are destroyed. */
  sweepDueDeletions(em: EntityManager, now: Date, limit: number): Promise<SecretRow[]> {
    return em.execute<SecretRow[]>(
      `with due as (select id from secrets where status = 'scheduled_for_deletion' and deletion_scheduled_at <= ? limit ? for update skip locked)
       delete from secrets s using due where s.id = due.id returning s.*`,
      [now.toISOString(), limit],
    );
  }

  /** Secrets expiring at or before `warnBefore` not yet warned about for this expiry are marked as warned. */
  sweepExpiring(em: EntityManager, warnBefore: Date, limit: number): Promise<SecretRow[]> {
    return em.execute<SecretRow[]>(
      `with due as (select id from secrets where expires_at <= ? and expiry_notified_for is distinct from expires_at limit ? for update skip locked)
       update secrets s set expiry_notified_for = s.expires_at from due where s.id = due.id returning s.*`,
      [warnBefore.toISOString(), limit],
    );
  }
}

const first = async <R>(rows: Promise<R[]>): Promise<R | undefined> => (await rows)[0];
