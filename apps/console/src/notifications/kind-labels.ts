import type { InboxItem, NotificationKind } from '../api/types';

/**
 * How the console names each notification kind. A Record over the generated type: a kind added to the API breaks
 * the build until it is named here, and its keys are the list the preference and webhook forms offer.
 */
export const KIND_LABELS: Record<NotificationKind, string> = {
  'secret.expiring': 'A secret expires soon',
  'secret.expired': 'A secret has expired',
  'secret.rotation_due': 'A secret is due for rotation',
  'secret.deletion_scheduled': 'A scheduled deletion is near',
  'secret.inactive': 'A secret became inactive',
  'secret.inactive_read': 'An inactive secret was read',
  'secret.deleted': 'A secret was deleted',
  'connection.refresh_failed': 'A connection needs reconnecting',
  'member.added': 'A member was added',
  'member.removed': 'A member was removed',
  'member.role_changed': 'A member’s role changed',
  'role.changed': 'A custom role changed',
  'token.created': 'An API token was created',
  'master_key.rotated': 'The master key was rotated',
  'session.refresh_reuse': 'A stolen session was stopped',
  'password.changed': 'Your password changed',
  'webhook.disabled': 'A webhook was disabled',
};

export const KINDS = Object.keys(KIND_LABELS) as NotificationKind[];

/** Warnings about the account itself are emailed whatever the preference says (an intruder must not silence them). */
export const ALWAYS_EMAILED: readonly NotificationKind[] = ['password.changed', 'session.refresh_reuse'];

/** Where the console shows what a notification is about, or null when there is nothing left to open. */
export function itemLink(item: InboxItem): { to: string; label: string } | null {
  const tenant = item.tenant_id;
  const id = item.resource_id;
  switch (item.kind) {
    case 'secret.deleted':
      return null;
    case 'secret.expiring':
    case 'secret.expired':
    case 'secret.rotation_due':
    case 'secret.deletion_scheduled':
    case 'secret.inactive':
    case 'secret.inactive_read':
      if (!id) return null;
      return { to: tenant ? `/tenants/${tenant}/secrets/${id}` : `/secrets/${id}`, label: 'Open the secret' };
    case 'member.added':
    case 'member.removed':
    case 'member.role_changed':
    case 'role.changed':
      return tenant ? { to: `/tenants/${tenant}/members`, label: 'Open the members' } : null;
    case 'token.created':
      return { to: '/tokens', label: 'Open API tokens' };
    case 'webhook.disabled':
      return tenant ? { to: `/tenants/${tenant}/webhooks`, label: 'Open the webhooks' } : null;
    case 'connection.refresh_failed':
      return { to: tenant ? `/connections/${tenant}` : '/connections', label: 'Open connections' };
    case 'master_key.rotated':
      return { to: '/admin/master-key', label: 'Open the master key' };
    case 'session.refresh_reuse':
    case 'password.changed':
      return { to: '/sessions', label: 'Open your sessions' };
  }
}
