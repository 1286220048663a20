import { z } from 'zod';
import { Uuid } from '../common.js';
import { defineEvent } from '../events.js';
import { defineRpc } from '../rpc.js';

// The cross-service part of tenants: memberships for principal resolution, and the deletion saga.

/** `role` is a built-in tenant role name (owner, admin, member, viewer) or a custom role id from identity. */
export const MembershipRef = z.object({ tenant_id: Uuid, role: z.string() });
export type MembershipRef = z.infer<typeof MembershipRef>;
export const TenantsMembershipListForUser = defineRpc(
  'tenants.membership.list-for-user',
  z.object({ user_id: Uuid }),
  z.object({ memberships: z.array(MembershipRef) }),
);

/**
 * How many tenants use a custom role outside `except_tenant_ids` (identity asks before a role is widened: the
 * caller must hold the added permissions in every tenant where the role is assigned).
 */
export const TenantsMembershipRoleUsage = defineRpc(
  'tenants.membership.role-usage',
  z.object({ role_id: Uuid, except_tenant_ids: z.array(Uuid).max(10_000) }),
  z.object({ tenants: z.number().int() }),
  { callers: ['identity'] },
);

/**
 * The tenants (not being deleted) where the user is the only owner. Identity asks before it deletes a user and
 * refuses with LAST_OWNER while the list is not empty: a tenant never loses its last owner that way.
 */
export const TenantsMembershipSoleOwner = defineRpc(
  'tenants.membership.sole-owner',
  z.object({ user_id: Uuid }),
  z.object({ tenant_ids: z.array(Uuid) }),
  { callers: ['identity'] },
);

/**
 * Who is in a tenant right now, with their roles, and its name: notifications resolves recipients at send time
 * from this, so a removed member gets nothing. `tenant_name` is null (and `members` empty) for a tenant that
 * does not exist or is being deleted.
 */
export const TenantsMembershipRecipients = defineRpc(
  'tenants.membership.recipients',
  z.object({ tenant_id: Uuid }),
  z.object({ tenant_name: z.string().nullable(), members: z.array(z.object({ user_id: Uuid, role: z.string() })) }),
  { callers: ['notifications'] },
);
/** The (active) tenants where someone holds the custom role `role_id`: whose owners hear that the role changed. */
export const TenantsMembershipRoleTenants = defineRpc(
  'tenants.membership.role-tenants',
  z.object({ role_id: Uuid }),
  z.object({ tenant_ids: z.array(Uuid) }),
  { callers: ['notifications'] },
);

/** Someone was added, re-roled or removed (`role` null): gateways drop the user's cached principal. */
export const MembershipChanged = defineEvent(
  'evt.tenants.membership.changed',
  z.object({
    tenant_id: Uuid,
    tenant_name: z.string(),
    user_id: Uuid,
    role: z.string().nullable(),
    previous_role: z.string().nullable(),
    changed_by: Uuid.nullable(),
  }),
);

/** Deletion saga, step 1: the tenant refuses writes; vault, connectors and notifications purge its data. */
export const TenantDeleting = defineEvent('evt.tenants.tenant.deleting', z.object({ tenant_id: Uuid }));
/** Deletion saga, confirmations: one per participant, each after its purge committed. */
export const VaultTenantPurged = defineEvent('evt.vault.tenant.purged', z.object({ tenant_id: Uuid }));
export const ConnectorsTenantPurged = defineEvent('evt.connectors.tenant.purged', z.object({ tenant_id: Uuid }));
export const NotificationsTenantPurged = defineEvent('evt.notifications.tenant.purged', z.object({ tenant_id: Uuid }));
/**
 * The services that hold tenant data and so take part in the deletion saga, each with the event that confirms
 * its purge (docs/tenants.md "Deletion saga"). Tenants waits for all of them; each participant joins through the
 * kit's TenantPurgeModule. A new participant also needs its column in tenants' saga table (tenant_deletions).
 */
export const TENANT_PURGE_CONFIRMATIONS = {
  vault: VaultTenantPurged,
  connectors: ConnectorsTenantPurged,
  notifications: NotificationsTenantPurged,
} as const;
export type TenantPurgeParticipant = keyof typeof TENANT_PURGE_CONFIRMATIONS;
export const TENANT_PURGE_PARTICIPANTS = Object.keys(TENANT_PURGE_CONFIRMATIONS) as TenantPurgeParticipant[];

/** Deletion saga, end: every participant confirmed and the tenant row is gone. */
export const TenantDeleted = defineEvent('evt.tenants.tenant.deleted', z.object({ tenant_id: Uuid }));
