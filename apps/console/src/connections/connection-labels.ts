import type { ConnectableService } from '../api/types';

type Status = NonNullable<ConnectableService['connection']>['status'];

/** Each status in words, with its badge. */
export const STATUS: Record<Status, { label: string; badge: string }> = {
  connected: { label: 'connected', badge: 'badge-ok' },
  refresh_failed: { label: 'reconnect needed', badge: 'badge-warn' },
  revoked: { label: 'disconnected', badge: 'badge-muted' },
};

/** What the provider did when asked to revoke (DELETE /services/connections/{id}). */
export const REVOCATION: Record<string, string> = {
  revoked: 'the provider revoked the grant',
  not_supported: 'the provider offers no revocation; remove the app in your account there if you want to',
  failed: 'the provider could not be reached to revoke; the tokens are destroyed here anyway',
  not_needed: 'nothing was left to revoke',
};
