import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeysetPosition } from '@lockwell/service-kit';

export interface WebhookRow {
  id: string;
  tenant_id: string;
  url: string;
  /** Kinds it receives; empty: every kind. */
  events: string[];
  description: string | null;
  secret_sealed: Buffer;
  status: 'active' | 'disabled';
  disabled_reason: string | null;
  consecutive_failures: number;
  created_by: string | null;
  created_at: Date;
}

export interface WebhookAttemptRow {
  id: string;
  webhook_id: string;
  delivery_id: string;
  notification_id: string;
  kind: string;
  attempt: number;
  attempted_at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  succeeded: boolean;
}

const COLUMNS =
  'id, tenant_id, url, events, description, secret_sealed, status, disabled_reason, consecutive_failures, created_by, created_at';

/** The `webhooks` table and its attempt log. Every query names the tenant first. */
@Injectable()
export class WebhookRepository {
  async add(
    em: EntityManager,
    tenantId: string,
    w: Omit<WebhookRow, 'tenant_id' | 'status' | 'disabled_reason' | 'consecutive_failures'>,
  ): Promise<void> {
    await em.execute(
      `insert into webhooks (id, tenant_id, url, events, description, secret_sealed, created_by, created_at) values (?, ?, ?, ?::jsonb, ?, ?, ?, ?)`,
      [w.id, tenantId, w.url, JSON.stringify(w.events), w.description, w.secret_sealed, w.created_by, w.created_at],
    );
  }

  async find(
    em: EntityManager,
    tenantId: string,
    id: string,
    opts: { lock?: boolean } = {},
  ): Promise<WebhookRow | null> {
    const rows = await em.execute<WebhookRow[]>(
      `select ${COLUMNS} from webhooks where tenant_id = ? and id = ?${opts.lock ? ' for update' : ''}`,
      [tenantId, id],
    );
    return rows[0] ?? null;
  }

  /** One page ordered by (created_at, id), `limit + 1` rows (see pageFrom). */
  list(em: EntityManager, tenantId: string, q: { after?: KeysetPosition; limit: number }): Promise<WebhookRow[]> {
    return em.execute(
      `select ${COLUMNS} from webhooks where tenant_id = ?${q.after ? ' and (created_at, id) > (?, ?)' : ''} order by created_at, id limit ?`,
      q.after ? [tenantId, q.after.at, q.after.id, q.limit + 1] : [tenantId, q.limit + 1],
    );
  }

  /** The tenant's active webhooks that take `kind`. */
  forKind(em: EntityManager, tenantId: string, kind: string): Promise<WebhookRow[]> {
    return em.execute(
      `select ${COLUMNS} from webhooks where tenant_id = ? and status = 'active' and (events = '[]'::jsonb or events @> ?::jsonb) order by id`,
      [tenantId, JSON.stringify([kind])],
    );
  }

  async delete(em: EntityManager, tenantId: string, id: string): Promise<boolean> {
    const rows = await em.execute<{ id: string }[]>(
      `delete from webhooks where tenant_id = ? and id = ? returning id`,
      [tenantId, id],
    );
    return rows.length > 0;
  }

  async succeeded(em: EntityManager, tenantId: string, id: string): Promise<void> {
    await em.execute(`update webhooks set consecutive_failures = 0 where tenant_id = ? and id = ?`, [tenantId, id]);
  }

  /** Counts a failed attempt; returns the failures in a row now, or null when the webhook is gone or disabled. */
  async failed(em: EntityManager, tenantId: string, id: string): Promise<number | null> {
    const rows = await em.execute<{ consecutive_failures: number }[]>(
      `update webhooks set consecutive_failures = consecutive_failures + 1 where tenant_id = ? and id = ? and status = 'active' returning consecutive_failures`,
      [tenantId, id],
    );
    return rows[0]?.consecutive_failures ?? null;
  }

  async disable(em: EntityManager, tenantId: string, id: string, reason: string): Promise<void> {
    await em.execute(`update webhooks set status = 'disabled', disabled_reason = ? where tenant_id = ? and id = ?`, [
      reason,
      tenantId,
      id,
    ]);
  }

  async addAttempt(em: EntityManager, tenantId: string, a: WebhookAttemptRow): Promise<void> {
    await em.execute(
      `insert into webhook_attempts (id, tenant_id, webhook_id, delivery_id, notification_id, kind, attempt, attempted_at, status_code, error, duration_ms, succeeded)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.id,
        tenantId,
        a.webhook_id,
        a.delivery_id,
        a.notification_id,
        a.kind,
        a.attempt,
        a.attempted_at,
        a.status_code,
        a.error,
        a.duration_ms,
        a.succeeded,
      ],
    );
  }

  /** The delivery log of one webhook, newest first, `limit + 1` rows. */
  attempts(
    em: EntityManager,
    tenantId: string,
    webhookId: string,
    q: { after?: KeysetPosition; limit: number },
  ): Promise<WebhookAttemptRow[]> {
    return em.execute(
      `select id, webhook_id, delivery_id, notification_id, kind, attempt, attempted_at, status_code, error, duration_ms, succeeded from webhook_attempts
        where tenant_id = ? and webhook_id = ?${q.after ? ' and (attempted_at, id) < (?, ?)' : ''} order by attempted_at desc, id desc limit ?`,
      q.after ? [tenantId, webhookId, q.after.at, q.after.id, q.limit + 1] : [tenantId, webhookId, q.limit + 1],
    );
  }

  async purgeTenant(em: EntityManager, tenantId: string): Promise<void> {
    await em.execute(`delete from webhook_attempts where tenant_id = ?`, [tenantId]);
    await em.execute(`delete from webhooks where tenant_id = ?`, [tenantId]);
  }
}
