import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { NewNotification, NotificationRow } from './notification.js';

/** The `notifications` queue: raised once per dedupe key, dispatched by whichever replica claims it first. */
@Injectable()
export class NotificationRepository {
  /** Inserts unless the dedupe key exists; true when this call raised it. */
  async raise(em: EntityManager, id: string, n: NewNotification, now: Date): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>(
      `insert into notifications (id, dedupe_key, kind, audience, tenant_id, user_id, resource_id, data, created_at, next_dispatch_at)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) on conflict (dedupe_key) do nothing returning id`,
      [id, n.dedupeKey, n.kind, n.audience, n.tenantId, n.userId, n.resourceId, JSON.stringify(n.data), now, now],
    );
    return rows.length > 0;
  }

  /** Up to `limit` undispatched notifications due at `now`, locked for this transaction (other replicas skip them). */
  claimDue(em: EntityManager, now: Date, limit: number): Promise<NotificationRow[]> {
    return em.execute(
      `select id, dedupe_key, kind, audience, tenant_id, user_id, resource_id, data, created_at, dispatch_attempts from notifications
        where dispatched_at is null and next_dispatch_at <= ? order by next_dispatch_at, id limit ? for update skip locked`,
      [now, limit],
    );
  }

  async markDispatched(em: EntityManager, id: string, now: Date): Promise<void> {
    await em.execute(
      `update notifications set dispatched_at = ?, dispatch_attempts = dispatch_attempts + 1 where id = ?`,
      [now, id],
    );
  }

  async postpone(em: EntityManager, id: string, until: Date): Promise<void> {
    await em.execute(
      `update notifications set next_dispatch_at = ?, dispatch_attempts = dispatch_attempts + 1 where id = ?`,
      [until, id],
    );
  }

  async purgeTenant(em: EntityManager, tenantId: string): Promise<void> {
    await em.execute(`delete from notifications where tenant_id = ?`, [tenantId]);
  }

  async purgeUser(em: EntityManager, userId: string): Promise<void> {
    await em.execute(`delete from notifications where user_id = ? and audience = 'user'`, [userId]);
  }
}
