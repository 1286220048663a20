import { z } from 'zod';
import { Empty, PageQuery, pageOf, Timestamp, Uuid } from '../common.js';
import { defineRpc } from '../rpc.js';

// The in-app inbox and per-user preferences (docs/api.md "Notifications and audit"; docs/notifications.md).

/** Every notification kind, dot-separated and stable (listed by GET /notifications/preferences). */
export const NOTIFICATION_KINDS = [
  'secret.expiring',
  'secret.expired',
  'secret.rotation_due',
  'secret.deletion_scheduled',
  'secret.inactive',
  'secret.inactive_read',
  'secret.deleted',
  'connection.refresh_failed',
  'member.added',
  'member.removed',
  'member.role_changed',
  'role.changed',
  'token.created',
  'master_key.rotated',
  'session.refresh_reuse',
  'password.changed',
  'webhook.disabled',
] as const;
export const NotificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** One item of a user's inbox: what happened and what to do, never a secret value or a token. */
export const InboxItem = z.object({
  id: Uuid,
  kind: NotificationKind,
  title: z.string(),
  body: z.string(),
  tenant_id: Uuid.nullable(),
  resource_id: z.string().nullable(),
  created_at: Timestamp,
  read_at: Timestamp.nullable(),
});
export type InboxItem = z.infer<typeof InboxItem>;

export const InboxListQuery = PageQuery.extend({
  // `?unread=true` over HTTP, a boolean once parsed (the gateway forwards what it parsed, the service parses again).
  unread: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  kind: NotificationKind.optional(),
}).strict();
export const NotificationIdParams = z.object({ notification_id: Uuid }).strict();

export const NotificationsInboxList = defineRpc('notifications.inbox.list', InboxListQuery, pageOf(InboxItem));
export const NotificationsInboxRead = defineRpc('notifications.inbox.read', NotificationIdParams, InboxItem);

/** Where one kind reaches the caller. `webhook` is kept per user for clients; tenant webhooks choose kinds with `events`. */
export const Preference = z.object({
  kind: NotificationKind,
  email: z.boolean(),
  webhook: z.boolean(),
  in_app: z.boolean(),
});
export type Preference = z.infer<typeof Preference>;
export const Preferences = z.object({ items: z.array(Preference) });
export const PreferencesBody = z
  .object({ items: z.array(Preference.strict()).min(1).max(NOTIFICATION_KINDS.length) })
  .strict()
  .refine((b) => new Set(b.items.map((i) => i.kind)).size === b.items.length, {
    message: 'each kind at most once',
    path: ['items'],
  });

export const NotificationsPreferencesGet = defineRpc('notifications.preferences.get', Empty, Preferences);
export const NotificationsPreferencesPut = defineRpc('notifications.preferences.put', PreferencesBody, Preferences);
