import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretScope, SecretStatus, SecretType } from '@lockwell/contracts';
import type { Scope } from '../keys/scope.js';
import type { SecretRow } from './secret.row.js';
import { likePattern, type KeysetPosition } from '@lockwell/service-kit';

export interface SecretListFilter {
  service_name?: string;
  type?: SecretType;
  status?: SecretStatus;
  expiring_before?: string;
  q?: string;
  /** null: every environment; otherwise only these (environment-limited grants). */
  environments: string[] | null;
}

export type NewSecret = Omit<SecretRow, 'expiry_notified_for' | 'inactive_since' | 'deletion_scheduled_at' | 'last_accessed_at'>;

/** Columns a PUT or a lifecycle change may set. */
export type SecretChanges = Partial<Omit<SecretRow, 'id' | 'scope_type' | 'tenant_id' | 'owner_id' | 'created_at' | 'created_by' | 'type'>>;

const scopeColumn = (type: SecretScope) => (type === 'tenant' ? 'tenant_id' : 'owner_id');
// jsonb needs a JSON literal; MikroORM would expand a JS array into a value list.
// Dates may come from another realm (node internals under jest), so no `instanceof`.
const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';
const columnValue = (key: string, value: unknown) => (key === 'tags' ? JSON.stringify(value) : isDate(value) ? value.toISOString() : value);

/** SQL for `secrets`. Every lookup names the scope type (and the owner for personal secrets). */
@Injectable()
export class SecretRepository {
  async insert(em: EntityManager, row: NewSecret): Promise<void> {
    const cols = Object.keys(row) as (keyof NewSecret)[];
    await em.execute(
      `insert into secrets (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map(() => '?').join(', ')})`,
      cols.map((c) => columnValue(c, row[c])),
    );
  }

  /** A secret of `scopeType` by id (locked for update when asked); the caller then authorises on its scope. */
  async find(em: EntityManager, scopeType: SecretScope, id: string, opts: { lock?: boolean } = {}): Promise<SecretRow | undefined> {
    const rows = await em.execute<SecretRow[]>(`select * from secrets where id = ? and scope_type = ?${opts.lock ? ' for update' : ''}`, [id, scopeType]);
    return rows[0];
  }

  async update(em: EntityManager, id: string, changes: SecretChanges): Promise<SecretRow> {
    const cols = Object.keys(changes) as (keyof SecretChanges)[];
    const rows = await em.execute<SecretRow[]>(
      `update secrets set ${cols.map((c) => `"${c}" = ?`).join(', ')} where id = ? returning *`,
      [...cols.map((c) => columnValue(c, changes[c])), id],
    );
    return rows[0];
  }

  /** Destroys a secret with all its versions and access records (ON DELETE CASCADE). */
  async destroy(em: EntityManager, id: string): Promise<void> {
    await em.execute(`delete from secrets where id = ?`, [id]);
  }

  /**
   * How many secrets the scope holds, after taking the scope's creation lock for the rest of the transaction,
   * so two concurrent creates cannot both pass a quota check at its limit.
   */
  async lockAndCount(em: EntityManager, scope: Scope): Promise<number> {
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`vault.secrets:${scope.type}:${scope.id}`]);
    const rows = await em.execute<{ n: number }[]>(`select count(*)::int as n from secrets where scope_type = ? and ${scopeColumn(scope.type)} = ?`, [scope.type, scope.id]);
    return rows[0]?.n ?? 0;
  }

  /** Whether another secret of the scope already has this (environment, service, key) name. */
  async nameTaken(em: EntityManager, scope: Scope, name: { environment: string; service_name: string; secret_key_name: string }, exceptId: string): Promise<boolean> {
    const rows = await em.execute(
      `select 1 from secrets where scope_type = ? and ${scopeColumn(scope.type)} = ? and environment = ? and service_name = ? and secret_key_name = ? and id <> ?`,
      [scope.type, scope.id, name.environment, name.service_name, name.secret_key_name, exceptId],
    );
    return rows.length > 0;
  }

  /** One keyset page, newest first; served by the (scope, [filter,] created_at desc, id desc) indexes. */
  async list(em: EntityManager, scope: Scope, filter: SecretListFilter, cursor: KeysetPosition | undefined, limit: number): Promise<SecretRow[]> {
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
    if (filter.q) add(`(service_name || ' ' || secret_key_name || ' ' || coalesce(description, '')) ilike ?`, likePattern(filter.q));
    if (cursor) add(`(created_at, id) < (?::timestamptz, ?::uuid)`, cursor.at, cursor.id);
    params.push(limit);
    return em.execute<SecretRow[]>(`select * from secrets where ${where.join(' and ')} order by created_at desc, id desc limit ?`, params);
  }

  /** Reads count as use: bumps last access and, for inactive or scheduled secrets, reactivates. */
  async markRead(em: EntityManager, id: string, now: Date): Promise<{ reactivated: SecretRow | undefined }> {
    const reactivated = await em.execute<SecretRow[]>(
      `update secrets set status = 'active', inactive_since = null, deletion_scheduled_at = null, last_accessed_at = ?, activity_at = ? where id = ? and status <> 'active' returning *`,
      [now.toISOString(), now.toISOString(), id],
    );
    if (!reactivated.length) await em.execute(`update secrets set last_accessed_at = ?, activity_at = ? where id = ?`, [now.toISOString(), now.toISOString(), id]);
    return { reactivated: reactivated[0] };
  }
}
