import type { NewNotification } from '../notification/notification.js';
import { secretNotice } from '../secret-watch/secret-notice.js';
import type { WatchedSecret } from '../secret-watch/watched-secret.js';

const DAY_MS = 86_400_000;

export interface ReminderSettings {
  /** Days before expires_at, largest first (default 30, 7, 1). */
  expiryDays: readonly number[];
  /** Days before a scheduled deletion, largest first (default 15, 10, 1). */
  deletionDays: readonly number[];
}

/**
 * The nearest lead time already reached: with 30/7/1 days and 5 days left, 7. Thresholds passed before the
 * secret was created or changed are thereby skipped except this one, which fires once (docs/api.md "Notifications and audit").
 */
export function nearestThreshold(days: readonly number[], due: Date, now: Date): number | null {
  const reached = days.filter((d) => now.getTime() >= due.getTime() - d * DAY_MS);
  return reached.length ? Math.min(...reached) : null;
}

const daysLeft = (due: Date, now: Date) => Math.max(0, Math.ceil((due.getTime() - now.getTime()) / DAY_MS));

/**
 * The reminders due for `s` at `now`. Each carries a dedupe key naming the secret, its version (or the date it
 * counts down to) and the threshold, so however often and on however many replicas the scheduler runs, each
 * fires once; a new version, expiry or deletion date starts a fresh countdown.
 */
export function dueReminders(s: WatchedSecret, now: Date, settings: ReminderSettings): NewNotification[] {
  if (s.status === 'deleted') return [];
  const out: NewNotification[] = [];
  const id = s.secret_id;
  if (s.expires_at && s.status !== 'scheduled_for_deletion') {
    const expires = s.expires_at.toISOString();
    if (now >= s.expires_at) {
      out.push(secretNotice('secret.expired', `secret.expired:${id}:v${s.version}:${expires}`, s, 'tenant_members'));
    } else {
      const d = nearestThreshold(settings.expiryDays, s.expires_at, now);
      if (d !== null)
        out.push(
          secretNotice('secret.expiring', `secret.expiring:${id}:v${s.version}:${expires}:${d}d`, s, 'tenant_members', {
            days_left: daysLeft(s.expires_at, now),
            threshold_days: d,
          }),
        );
    }
  }
  if (s.rotation_interval_days && s.status !== 'scheduled_for_deletion') {
    const due = new Date(s.version_since.getTime() + s.rotation_interval_days * DAY_MS);
    if (now >= due) {
      out.push(
        secretNotice(
          'secret.rotation_due',
          `secret.rotation_due:${id}:v${s.version}:${s.rotation_interval_days}d`,
          s,
          'tenant_members',
          { rotation_interval_days: s.rotation_interval_days, rotation_due_at: due.toISOString() },
        ),
      );
    }
  }
  if (s.status === 'scheduled_for_deletion' && s.deletion_scheduled_at && now < s.deletion_scheduled_at) {
    const d = nearestThreshold(settings.deletionDays, s.deletion_scheduled_at, now);
    if (d !== null) {
      out.push(
        secretNotice(
          'secret.deletion_scheduled',
          `secret.deletion_scheduled:${id}:${s.deletion_scheduled_at.toISOString()}:${d}d`,
          s,
          'tenant_members',
          {
            days_left: daysLeft(s.deletion_scheduled_at, now),
            threshold_days: d,
          },
        ),
      );
    }
  }
  return out;
}
