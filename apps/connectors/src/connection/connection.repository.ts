import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConnectionStatus } from '@lockwell/contracts';
import type { KeysetPosition } from '@lockwell/service-kit';

/** A connection as stored: metadata and mirrors of the sealed tokens' expiry (the tokens are in the vault). */
export interface ConnectionRow {
  id: string;
  service_id: string;
  user_id: string;
  tenant_id: string | null;
  status: ConnectionStatus;
  scopes: string[];
  expires_at: Date | null;
  token_version: number | null;
  has_refresh_token: boolean;
  next_refresh_at: Date | null;
  refresh_attempts: number;
  last_error: string | null;
  last_refreshed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A connection with its service's display fields, as lists show it. */
export interface ConnectionListRow extends ConnectionRow {
  service_name: string;
  service_slug: string;
}

export interface TokenMirror {
  scopes: string[];
  expires_at: Date | null;
  token_version: number;
  has_refresh_token: boolean;
  next_refresh_at: Date | null;
}

const WITH_SERVICE = `select c.*, s.name as service_name, s.slug as service_slug from connections c join services s on s.id = c.service_id`;

/**
 * Connection queries. Lists take the viewer first (their own connections, plus those of the tenants they may
 * use connections in); a lookup by id comes before the service authorises the caller on the row it found.
 */
export const connectionRepository = {
  async byId(em: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<ConnectionListRow | undefined> {
    const rows = await em.execute<ConnectionListRow[]>(`${WITH_SERVICE} where c.id = ?${opts.lock ? ' for update of c' : ''}`, [id]);
    return rows[0];
  },

  /** The user's connection to a service, personal (`tenantId` null) or in one tenant. */
  async forOwner(em: EntityManager, userId: string, serviceId: string, tenantId: string | null, opts: { lock?: boolean } = {}): Promise<ConnectionRow | undefined> {
    const rows = await em.execute<ConnectionRow[]>(
      `select * from connections where user_id = ? and service_id = ? and tenant_id is not distinct from ?${opts.lock ? ' for update' : ''}`,
      [userId, serviceId, tenantId],
    );
    return rows[0];
  },

  /** The viewer's personal connections and those of `tenantIds` (where the viewer may use connections), newest last. */
  visible(
    em: EntityManager,
    viewerId: string,
    tenantIds: string[],
    f: { personal: boolean; tenantId?: string; serviceId?: string; status?: ConnectionStatus; after?: KeysetPosition; limit: number },
  ): Promise<ConnectionListRow[]> {
    const scope: string[] = [];
    const params: unknown[] = [];
    if (f.personal) {
      scope.push('(c.user_id = ? and c.tenant_id is null)');
      params.push(viewerId);
    }
    if (tenantIds.length) {
      scope.push('c.tenant_id in (?)');
      params.push(tenantIds);
    }
    if (!scope.length) return Promise.resolve([]);
    const where = [`(${scope.join(' or ')})`];
    if (f.tenantId) {
      where.push('c.tenant_id = ?');
      params.push(f.tenantId);
    }
    if (f.serviceId) {
      where.push('c.service_id = ?');
      params.push(f.serviceId);
    }
    if (f.status) {
      where.push('c.status = ?');
      params.push(f.status);
    }
    if (f.after) {
      where.push('(c.created_at, c.id) > (?, ?)');
      params.push(f.after.at, f.after.id);
    }
    params.push(f.limit + 1);
    return em.execute<ConnectionListRow[]>(`${WITH_SERVICE} where ${where.join(' and ')} order by c.created_at, c.id limit ?`, params);
  },

  async insert(em: EntityManager, row: Pick<ConnectionRow, 'id' | 'service_id' | 'user_id' | 'tenant_id'> & TokenMirror, now: Date): Promise<void> {
    await em.execute(
      `insert into connections (id, service_id, user_id, tenant_id, status, scopes, expires_at, token_version, has_refresh_token, next_refresh_at, created_at, updated_at, last_refreshed_at)
       values (?, ?, ?, ?, 'connected', ?::jsonb, ?, ?, ?, ?, ?, ?, null)`,
      [row.id, row.service_id, row.user_id, row.tenant_id, JSON.stringify(row.scopes), row.expires_at, row.token_version, row.has_refresh_token, row.next_refresh_at, now, now],
    );
  },

  /** New tokens were stored (a connect, a reconnect or a refresh): the connection is healthy again. */
  async tokensStored(em: EntityManager, id: string, m: TokenMirror, now: Date, refreshed: boolean): Promise<void> {
    await em.execute(
      `update connections set status = 'connected', scopes = ?::jsonb, expires_at = ?, token_version = ?, has_refresh_token = ?, next_refresh_at = ?,
              refresh_attempts = 0, last_error = null, updated_at = ?${refreshed ? ', last_refreshed_at = ?' : ''} where id = ?`,
      [JSON.stringify(m.scopes), m.expires_at, m.token_version, m.has_refresh_token, m.next_refresh_at, now, ...(refreshed ? [now] : []), id],
    );
  },

  async markFailed(em: EntityManager, id: string, status: 'refresh_failed' | 'revoked', error: string | null, now: Date): Promise<void> {
    await em.execute(`update connections set status = ?, last_error = ?, next_refresh_at = null, updated_at = ? where id = ?`, [status, error, now, id]);
  },

  /** A transient failure: try again at `retryAt`; the connection stays connected. */
  async retryLater(em: EntityManager, id: string, error: string, retryAt: Date, now: Date): Promise<void> {
    await em.execute(`update connections set refresh_attempts = refresh_attempts + 1, last_error = ?, next_refresh_at = ?, updated_at = ? where id = ?`, [error, retryAt, now, id]);
  },

  async delete(em: EntityManager, id: string): Promise<void> {
    await em.execute(`delete from connections where id = ?`, [id]);
  },

  /**
   * Claims up to `limit` connections due for a proactive refresh: their next_refresh_at moves `leaseMs` ahead,
   * so other replicas skip them while this one works (SKIP LOCKED: no two replicas claim the same row).
   */
  claimDue(em: EntityManager, now: Date, leaseMs: number, limit: number): Promise<{ id: string }[]> {
    return em.execute(
      `with due as (select id from connections where status = 'connected' and next_refresh_at <= ? order by next_refresh_at limit ? for update skip locked)
       update connections c set next_refresh_at = ? from due where c.id = due.id returning c.id`,
      [now, limit, new Date(now.getTime() + leaseMs)],
    );
  },

  forService(em: EntityManager, serviceId: string): Promise<ConnectionListRow[]> {
    return em.execute<ConnectionListRow[]>(`${WITH_SERVICE} where c.service_id = ? order by c.created_at, c.id`, [serviceId]);
  },

  /** Deletes (and returns) every connection of a tenant being deleted, or of a deleted user. */
  deleteWhere(em: EntityManager, column: 'tenant_id' | 'user_id', id: string): Promise<ConnectionListRow[]> {
    return em.execute<ConnectionListRow[]>(
      `with gone as (delete from connections where ${column} = ? returning *)
       select g.*, s.name as service_name, s.slug as service_slug from gone g join services s on s.id = g.service_id`,
      [id],
    );
  },
};
