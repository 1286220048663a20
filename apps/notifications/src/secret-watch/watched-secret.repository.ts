import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WatchedSecret } from './watched-secret.js';

const COLUMNS = `secret_id, tenant_id, owner_id, service_name, secret_key_name, environment, type, version, status, expires_at,
  deletion_scheduled_at, rotation_interval_days, version_since, last_event_at`;

/**
 * The `watched_secrets` table, fed by vault events. Several consumers write it, so an event older than the one
 * already applied changes nothing, and a deleted secret stays a tombstone until its tenant or owner is purged.
 */
@Injectable()
export class WatchedSecretRepository {
  async apply(em: EntityManager, s: WatchedSecret): Promise<void> {
    await em.execute(
      `insert into watched_secrets (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (secret_id) do update set
         service_name = excluded.service_name, secret_key_name = excluded.secret_key_name, environment = excluded.environment,
         type = excluded.type, version = excluded.version, status = excluded.status, expires_at = excluded.expires_at,
         deletion_scheduled_at = excluded.deletion_scheduled_at, rotation_interval_days = excluded.rotation_interval_days,
         version_since = case when watched_secrets.version = excluded.version then watched_secrets.version_since else excluded.version_since end,
         last_event_at = excluded.last_event_at
       where watched_secrets.last_event_at <= excluded.last_event_at and watched_secrets.status <> 'deleted'`,
      [
        s.secret_id,
        s.tenant_id,
        s.owner_id,
        s.service_name,
        s.secret_key_name,
        s.environment,
        s.type,
        s.version,
        s.status,
        s.expires_at,
        s.deletion_scheduled_at,
        s.rotation_interval_days,
        s.version_since,
        s.last_event_at,
      ],
    );
  }

  /**
   * One batch (by secret id, after `afterId`) of the secrets that may have a reminder due: with an expiry, a
   * rotation interval or a scheduled deletion, and not deleted.
   */
  async candidates(em: EntityManager, afterId: string | null, limit: number): Promise<WatchedSecret[]> {
    const rows = await em.execute<WatchedSecret[]>(
      `select ${COLUMNS} from watched_secrets
        where status <> 'deleted' and (expires_at is not null or rotation_interval_days is not null or deletion_scheduled_at is not null)
          ${afterId ? 'and secret_id > ?' : ''}
        order by secret_id limit ?`,
      afterId ? [afterId, limit] : [limit],
    );
    // Raw queries give timestamps as text.
    const date = (v: Date | string | null) => (v === null ? null : new Date(v));
    return rows.map((r) => ({
      ...r,
      expires_at: date(r.expires_at),
      deletion_scheduled_at: date(r.deletion_scheduled_at),
      version_since: new Date(r.version_since),
      last_event_at: new Date(r.last_event_at),
    }));
  }

  async purgeTenant(em: EntityManager, tenantId: string): Promise<void> {
    await em.execute(`delete from watched_secrets where tenant_id = ?`, [tenantId]);
  }

  async purgeOwner(em: EntityManager, ownerId: string): Promise<void> {
    await em.execute(`delete from watched_secrets where owner_id = ?`, [ownerId]);
  }
}
