import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConnectionStatus } from '@lockwell/contracts';
import type { KeysetPosition } from '@lockwell/service-kit';
import type { ConnectionPlace } from './connection-access.policy.js';

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

/** A stored connection: its id and where it lives (every write names both). */
export type ConnectionRef = ConnectionPlace & { id: string };

/** Whose connections a caller can reach: their personal ones and those of every tenant they are a member of. */
export interface ConnectionReach {
  userId: string;
  tenantIds: string[];
}

const WITH_SERVICE = `select c.*, s.name as service_name, s.slug as service_slug from connections c join services s on s.id = c.service_id`;
// The one connection `c` of this owner: the user's personal one (tenant null) or the user's in that tenant.
const IN_PLACE = `c.id = ? and c.user_id = ? and c.tenant_id is not distinct from ?`;
const inPlace = (c: ConnectionRef) => [c.id, c.user_id, c.tenant_id];

/**
 * The `connections` table. Every lookup and write names the owner first: the caller's reach (their personal
 * connections and their tenants'), or the exact place of a connection already found (user, tenant). Two
 * questions are installation-wide, as services are: which connections are due for a proactive refresh (the
 * scheduler, which then works on each through its place) and which belong to a service being deleted (admins).
 */
@Injectable()
export class ConnectionRepository {
  /** A connection by id among those `reach` covers; the caller's permission on it is checked next (assertMayUse). */
  async find(em: EntityManager, reach: ConnectionReach, id: string): Promise<ConnectionListRow | undefined> {
    const rows = await em.execute<ConnectionListRow[]>(
      `${WITH_SERVICE} where c.id = ? and ((c.user_id = ? and c.tenant_id is null)${reach.tenantIds.length ? ' or c.tenant_id in (?)' : ''})`,
      [id, reach.userId, ...(reach.tenantIds.length ? [reach.tenantIds] : [])],
    );
    return rows[0];
  }

  /** Re-reads a connection already found, at its place (locking it: a disconnect, a refresh, a reconnect). */
  async reread(
    em: EntityManager,
    conn: ConnectionRef,
    opts: { lock?: boolean } = {},
  ): Promise<ConnectionListRow | undefined> {
    const rows = await em.execute<ConnectionListRow[]>(
      `${WITH_SERVICE} where ${IN_PLACE}${opts.lock ? ' for update of c' : ''}`,
      inPlace(conn),
    );
    return rows[0];
  }

  /** The user's connection to a service, personal (`tenant_id` null) or in one tenant. */
  async forOwner(
    em: EntityManager,
    place: ConnectionPlace,
    serviceId: string,
    opts: { lock?: boolean } = {},
  ): Promise<ConnectionRow | undefined> {
    const rows = await em.execute<ConnectionRow[]>(
      `select * from connections where user_id = ? and tenant_id is not distinct from ? and service_id = ?${opts.lock ? ' for update' : ''}`,
      [place.user_id, place.tenant_id, serviceId],
    );
    return rows[0];
  }

  /** The viewer's personal connections and those of `tenantIds` (where the viewer may use connections), newest last. */
  visible(
    em: EntityManager,
    viewerId: string,
    tenantIds: string[],
    f: {
      personal: boolean;
      tenantId?: string;
      serviceId?: string;
      status?: ConnectionStatus;
      after?: KeysetPosition;
      limit: number;
    },
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
    return em.execute<ConnectionListRow[]>(
      `${WITH_SERVICE} where ${where.join(' and ')} order by c.created_at, c.id limit ?`,
      params,
    );
  }

  async insert(
    em: EntityManager,
    place: ConnectionPlace,
    row: Pick<ConnectionRow, 'id' | 'service_id'> & TokenMirror,
    now: Date,
  ): Promise<void> {
    await em.execute(
      `insert into connections (id, service_id, user_id, tenant_id, status, scopes, expires_at, token_version, has_refresh_token, next_refresh_at, created_at, updated_at, last_refreshed_at)
       values (?, ?, ?, ?, 'connected', ?::jsonb, ?, ?, ?, ?, ?, ?, null)`,
      [
        row.id,
        row.service_id,
        place.user_id,
        place.tenant_id,
        JSON.stringify(row.scopes),
        row.expires_at,
        row.token_version,
        row.has_refresh_token,
        row.next_refresh_at,
        now,
        now,
      ],
    );
  }

  /** New tokens were stored (a connect, a reconnect or a refresh): the connection is healthy again. */
  async tokensStored(
    em: EntityManager,
    conn: ConnectionRef,
    m: TokenMirror,
    now: Date,
    refreshed: boolean,
  ): Promise<void> {
    await em.execute(
      `update connections c set status = 'connected', scopes = ?::jsonb, expires_at = ?, token_version = ?, has_refresh_token = ?, next_refresh_at = ?,
              refresh_attempts = 0, last_error = null, updated_at = ?${refreshed ? ', last_refreshed_at = ?' : ''} where ${IN_PLACE}`,
      [
        JSON.stringify(m.scopes),
        m.expires_at,
        m.token_version,
        m.has_refresh_token,
        m.next_refresh_at,
        now,
        ...(refreshed ? [now] : []),
        ...inPlace(conn),
      ],
    );
  }

  async markFailed(
    em: EntityManager,
    conn: ConnectionRef,
    status: 'refresh_failed' | 'revoked',
    error: string | null,
    now: Date,
  ): Promise<void> {
    await em.execute(
      `update connections c set status = ?, last_error = ?, next_refresh_at = null, updated_at = ? where ${IN_PLACE}`,
      [status, error, now, ...inPlace(conn)],
    );
  }

  /**
   * refresh_failed, unless the connection is no longer `connected`: a disconnect that committed while the refresh
   * ran (it deleted the tokens the refresh then missed) stays `revoked`. True when this changed the row.
   */
  async markRefreshFailed(em: EntityManager, conn: ConnectionRef, error: string, now: Date): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>(
      `update connections c set status = 'refresh_failed', last_error = ?, next_refresh_at = null, updated_at = ? where ${IN_PLACE} and c.status = 'connected' returning c.id`,
      [error, now, ...inPlace(conn)],
    );
    return rows.length > 0;
  }

  /** A transient failure: try again at `retryAt`; the connection stays connected. */
  async retryLater(em: EntityManager, conn: ConnectionRef, error: string, retryAt: Date, now: Date): Promise<void> {
    await em.execute(
      `update connections c set refresh_attempts = refresh_attempts + 1, last_error = ?, next_refresh_at = ?, updated_at = ? where ${IN_PLACE}`,
      [error, retryAt, now, ...inPlace(conn)],
    );
  }

  async delete(em: EntityManager, conn: ConnectionRef): Promise<void> {
    await em.execute(`delete from connections c where ${IN_PLACE}`, inPlace(conn));
  }

  /**
   * The single-flight lock of one connection's refresh across replicas (OC-5): a transaction-scoped advisory
   * lock, so it goes with the transaction whatever happens; false while another transaction holds it.
   */
  async tryLockRefresh(em: EntityManager, conn: ConnectionRef): Promise<boolean> {
    const [row] = await em.execute<{ locked: boolean }[]>(
      `select pg_try_advisory_xact_lock(hashtextextended(?, 0)) as locked`,
      [`connectors.refresh:${conn.id}`],
    );
    return row?.locked === true;
  }

  /**
   * Claims up to `limit` connections due for a proactive refresh: their next_refresh_at moves `leaseMs` ahead,
   * so other replicas skip them while this one works (SKIP LOCKED: no two replicas claim the same row).
   */
  claimDue(em: EntityManager, now: Date, leaseMs: number, limit: number): Promise<ConnectionRef[]> {
    return em.execute(
      `with due as (select id from connections where status = 'connected' and next_refresh_at <= ? order by next_refresh_at limit ? for update skip locked)
       update connections c set next_refresh_at = ? from due where c.id = due.id returning c.id, c.user_id, c.tenant_id`,
      [now, limit, new Date(now.getTime() + leaseMs)],
    );
  }

  /** Every connection of a service (an administrator deleting it). */
  forService(em: EntityManager, serviceId: string): Promise<ConnectionListRow[]> {
    return em.execute<ConnectionListRow[]>(`${WITH_SERVICE} where c.service_id = ? order by c.created_at, c.id`, [
      serviceId,
    ]);
  }

  /** Deletes (and returns) every connection of a tenant being deleted. */
  deleteAllOfTenant(em: EntityManager, tenantId: string): Promise<ConnectionListRow[]> {
    return this.deleteReturning(em, 'tenant_id', tenantId);
  }

  /** Deletes (and returns) every connection of a deleted user, personal and in tenants. */
  deleteAllOfUser(em: EntityManager, userId: string): Promise<ConnectionListRow[]> {
    return this.deleteReturning(em, 'user_id', userId);
  }

  private deleteReturning(
    em: EntityManager,
    column: 'tenant_id' | 'user_id',
    id: string,
  ): Promise<ConnectionListRow[]> {
    return em.execute<ConnectionListRow[]>(
      `with gone as (delete from connections where ${column} = ? returning *)
       select g.*, s.name as service_name, s.slug as service_slug from gone g join services s on s.id = g.service_id`,
      [id],
    );
  }
}
