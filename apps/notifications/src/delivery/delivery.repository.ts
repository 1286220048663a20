import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { DeliveryRow, NewDelivery } from './delivery.js';

const COLUMNS = 'id, notification_id, channel, target, kind, tenant_id, user_id, webhook_id, content, attempts';

/** The `deliveries` table: one row per notification, channel and recipient; attempts are claimed with a lease. */
@Injectable()
export class DeliveryRepository {
  async queue(em: EntityManager, d: NewDelivery, now: Date): Promise<void> {
    await em.execute(
      `insert into deliveries (id, notification_id, channel, target, kind, tenant_id, user_id, webhook_id, content, next_attempt_at, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) on conflict (notification_id, channel, target) do nothing`,
      [
        randomUUID(),
        d.notificationId,
        d.channel,
        d.target,
        d.kind,
        d.tenantId,
        d.userId,
        d.webhookId,
        JSON.stringify(d.content),
        now,
        now,
      ],
    );
  }

  /**
   * Claims up to `limit` due deliveries for this replica until `leaseUntil` and counts the attempt. A replica that
   * dies mid-send leaves the lease to run out; another then retries (at-least-once, as SMTP and webhooks are).
   */
  claimDue(em: EntityManager, now: Date, leaseUntil: Date, limit: number): Promise<DeliveryRow[]> {
    return em.execute(
      `update deliveries set locked_until = ?, attempts = attempts + 1 where id in (
         select id from deliveries where status = 'pending' and next_attempt_at <= ? and (locked_until is null or locked_until <= ?)
          order by next_attempt_at, id limit ? for update skip locked)
       returning ${COLUMNS}`,
      [leaseUntil, now, now, limit],
    );
  }

  async sent(em: EntityManager, id: string, now: Date): Promise<void> {
    await em.execute(
      `update deliveries set status = 'sent', finished_at = ?, locked_until = null, last_error = null where id = ?`,
      [now, id],
    );
  }

  async retryAt(em: EntityManager, id: string, at: Date, error: string): Promise<void> {
    await em.execute(`update deliveries set next_attempt_at = ?, locked_until = null, last_error = ? where id = ?`, [
      at,
      error,
      id,
    ]);
  }

  async failed(em: EntityManager, id: string, now: Date, error: string): Promise<void> {
    await em.execute(
      `update deliveries set status = 'failed', finished_at = ?, locked_until = null, last_error = ? where id = ?`,
      [now, error, id],
    );
  }

  /** Cancels what is still pending for a webhook (it was disabled or deleted). */
  async cancelForWebhook(em: EntityManager, tenantId: string, webhookId: string, now: Date): Promise<void> {
    await em.execute(
      `update deliveries set status = 'cancelled', finished_at = ?, locked_until = null where tenant_id = ? and webhook_id = ? and status = 'pending'`,
      [now, tenantId, webhookId],
    );
  }

  async purgeTenant(em: EntityManager, tenantId: string): Promise<void> {
    await em.execute(`delete from deliveries where tenant_id = ?`, [tenantId]);
  }

  async purgeUser(em: EntityManager, userId: string): Promise<void> {
    await em.execute(`delete from deliveries where user_id = ?`, [userId]);
  }
}
