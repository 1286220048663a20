// The tenants service under the kit's harness, with a stand-in for identity's two lookups (users by id or
// email, custom roles by id), so the tenants RPCs can be called with crafted CallContexts exactly as the
// gateway would send them.
import { BUILT_IN_TENANT_ROLES, IdentityRoleResolve, IdentityUserLookup } from '@lockwell/contracts';
import { answer, standIn, startServiceUnderTest, type ServiceUnderTest } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import { service } from '../../src/app.module.js';

/** Users and custom roles the identity stand-in knows. */
export const identityFixtures = {
  users: new Map<string, { id: string; email: string; full_name: string; status: 'active' | 'disabled' }>(),
  roles: new Map<string, { id: string; name: string; permissions: string[] }>(),
};

const identityStandIn = standIn(
  'identity',
  answer(IdentityUserLookup, (data) => {
    const byEmail = [...identityFixtures.users.values()].filter((u) => data.emails?.includes(u.email));
    return { users: [...data.user_ids.flatMap((id) => identityFixtures.users.get(id) ?? []), ...byEmail] };
  }),
  answer(IdentityRoleResolve, (data) => ({
    roles: data.role_ids.flatMap((id) => identityFixtures.roles.get(id) ?? []),
  })),
);

export type TenantsUnderTest = ServiceUnderTest;

export const startTenants = (): Promise<TenantsUnderTest> =>
  startServiceUnderTest(service, { standIns: [identityStandIn] });

/** A user known to identity (so it can be added as a member). */
export function newUser(name = 'user'): string {
  const id = randomUUID();
  identityFixtures.users.set(id, {
    id,
    email: `${name}-${id.slice(0, 8)}@example.test`,
    full_name: `${name} ${id.slice(0, 4)}`,
    status: 'active',
  });
  return id;
}

export function newCustomRole(permissions: string[]): string {
  const id = randomUUID();
  identityFixtures.roles.set(id, { id, name: `role-${id.slice(0, 8)}`, permissions });
  return id;
}

// Call contexts come from the kit's asUser: their memberships stay empty on purpose, since tenants authorises
// from its own rows, never from what the gateway cached.
export const ADMIN_GRANTS = {
  globalRoles: ['admin'],
  globalPermissions: ['tenants:read-all', 'users:read', 'users:manage'],
};
export const OWNER_PERMISSIONS = BUILT_IN_TENANT_ROLES.owner;
