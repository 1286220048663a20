import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeysetPosition } from '@lockwell/service-kit';

export interface InboxRow {
  id: string;
  notification_id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  tenant_id: string | null;
  resource_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = 'id, notification_id, user_id, kind, title, body, tenant_id, resource_id, created_at, read_at';

/** The `inbox_items` table: a user's in-app notifications. Every query names the user first. */
@Injectable()
export class InboxRepository {
  /** Adds the item unless this notification is already in this user's inbox. */
  async add(em: EntityManager, userId: string, item: Omit<InboxRow, 'user_id' | 'read_at'>): Promise<void> {
    await em.execute(
      `insert into inbox_items (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, null) on conflict (notification_id, user_id) do nothing`,
      [
        item.id,
        item.notification_id,
        userId,
        item.kind,
        item.title,
        item.body,
        item.tenant_id,
        item.resource_id,
        item.created_at,
      ],
    );
  }

  /** One page, newest first, `limit + 1` rows (see pageFrom). */
  list(
    em: EntityManager,
    userId: string,
    q: { unread?: boolean; kind?: string; after?: KeysetPosition; limit: number },
  ): Promise<InboxRow[]> {
    const where = ['user_id = ?'];
    const params: unknown[] = [userId];
    if (q.unread) where.push('read_at is null');
    if (q.kind) {
      where.push('kind = ?');
      params.push(q.kind);
    }
    if (q.after) {
      where.push('(created_at, id) < (?, ?)');
      params.push(q.after.at, q.after.id);
    }
    return em.execute(
      `select ${COLUMNS} from inbox_items where ${where.join(' and ')} order by created_at desc, id desc limit ?`,
      [...params, q.limit + 1],
    );
  }

  /** Marks the item read (once: a second call keeps the first time) and returns it; null when it is not this user's. */
  async markRead(em: EntityManager, userId: string, id: string, now: Date): Promise<InboxRow | null> {
    const rows = await em.execute<InboxRow[]>(
      `update inbox_items set read_at = coalesce(read_at, ?) where user_id = ? and id = ? returning ${COLUMNS}`,
      [now, userId, id],
    );
    return rows[0] ?? null;
  }

  async purgeTenant(em: EntityManager, tenantId: string): Promise<void> {
    await em.execute(`delete from inbox_items where tenant_id = ?`, [tenantId]);
  }

  async purgeUser(em: EntityManager, userId: string): Promise<void> {
    await em.execute(`delete from inbox_items where user_id = ?`, [userId]);
  }
}
