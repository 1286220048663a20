import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Preference } from '@lockwell/contracts';

/** The `preferences` table: one row per user and kind the user changed (no row: the defaults). */
@Injectable()
export class PreferenceRepository {
  forUser(em: EntityManager, userId: string): Promise<Preference[]> {
    return em.execute(`select kind, email, webhook, in_app from preferences where user_id = ? order by kind`, [userId]);
  }

  /** The stored choices of `userIds` for one kind. */
  async forUsers(em: EntityManager, userIds: string[], kind: string): Promise<Map<string, Preference>> {
    if (!userIds.length) return new Map();
    const rows = await em.execute<(Preference & { user_id: string })[]>(
      `select user_id, kind, email, webhook, in_app from preferences where user_id in (?) and kind = ?`,
      [userIds, kind],
    );
    return new Map(rows.map((r) => [r.user_id, r]));
  }

  async save(em: EntityManager, userId: string, items: Preference[], now: Date): Promise<void> {
    for (const p of items) {
      await em.execute(
        `insert into preferences (user_id, kind, email, webhook, in_app, updated_at) values (?, ?, ?, ?, ?, ?)
         on conflict (user_id, kind) do update set email = excluded.email, webhook = excluded.webhook, in_app = excluded.in_app, updated_at = excluded.updated_at`,
        [userId, p.kind, p.email, p.webhook, p.in_app, now],
      );
    }
  }

  async purgeUser(em: EntityManager, userId: string): Promise<void> {
    await em.execute(`delete from preferences where user_id = ?`, [userId]);
  }
}
