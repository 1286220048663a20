import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { NOTIFICATION_KINDS, type CallContext, type NotificationKind, type Preference } from '@lockwell/contracts';
import { CLOCK, requirePrincipal, type Clock } from '@lockwell/service-kit';
import { PreferenceRepository } from './preference.repository.js';

/** Every kind goes to the inbox and by email unless the user said otherwise (docs/api.md "Notifications and audit"). */
export const defaultPreference = (kind: NotificationKind): Preference => ({
  kind,
  email: true,
  webhook: true,
  in_app: true,
});

/**
 * Security notices about the user's own account go by email whatever their preferences say: someone who took
 * over the account must not be able to silence the warning first (PW-5).
 */
export const ALWAYS_EMAILED: ReadonlySet<NotificationKind> = new Set(['password.changed', 'session.refresh_reuse']);

/** Per-user, per-kind channel choices. A user reads and changes only their own. */
@Injectable()
export class PreferenceService {
  constructor(
    private readonly em: EntityManager,
    private readonly preferences: PreferenceRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(ctx: CallContext): Promise<{ items: Preference[] }> {
    const { userId } = requirePrincipal(ctx);
    const stored = new Map((await this.preferences.forUser(this.em, userId)).map((p) => [p.kind, p]));
    return { items: NOTIFICATION_KINDS.map((kind) => stored.get(kind) ?? defaultPreference(kind)) };
  }

  async put(ctx: CallContext, items: Preference[]): Promise<{ items: Preference[] }> {
    const { userId } = requirePrincipal(ctx);
    await this.em.transactional((tx) => this.preferences.save(tx as EntityManager, userId, items, this.clock.now()));
    return this.get(ctx);
  }

  /** The effective choice of each of `userIds` for `kind` (dispatch time). */
  async effective(em: EntityManager, userIds: string[], kind: NotificationKind): Promise<Map<string, Preference>> {
    const stored = await this.preferences.forUsers(em, userIds, kind);
    return new Map(
      userIds.map((id) => {
        const p = stored.get(id) ?? defaultPreference(kind);
        return [id, ALWAYS_EMAILED.has(kind) ? { ...p, email: true } : p];
      }),
    );
  }
}
