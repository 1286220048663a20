import type { NotificationKind } from '@lockwell/contracts';

/**
 * Who hears about a notification, resolved when it is dispatched (never when it was raised), so a member removed
 * in between gets nothing:
 * - `user`: `user_id` alone (personal secrets, their own password and sessions, their personal API tokens);
 * - `tenant_owners` / `tenant_managers` (owners and admins) / `tenant_members` (owners, admins and members, the
 *   roles that write secrets) of `tenant_id`;
 * - `administrators`: the installation's active admins.
 */
export type Audience = 'user' | 'tenant_owners' | 'tenant_managers' | 'tenant_members' | 'administrators';

/** Facts a message is written from: names and dates only, never a value or a token. */
export type NotificationData = Record<string, string | number | null>;

/** A notification to raise; `dedupeKey` makes raising it again (another replica, a redelivered event) a no-op. */
export interface NewNotification {
  dedupeKey: string;
  kind: NotificationKind;
  audience: Audience;
  tenantId: string | null;
  userId: string | null;
  resourceId: string | null;
  data: NotificationData;
}

/** A queued notification as stored. */
export interface NotificationRow {
  id: string;
  dedupe_key: string;
  kind: NotificationKind;
  audience: Audience;
  tenant_id: string | null;
  user_id: string | null;
  resource_id: string | null;
  data: NotificationData;
  created_at: Date;
  dispatch_attempts: number;
}
