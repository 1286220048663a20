import { TenantsMembershipRoleUsage, TenantsMembershipSoleOwner } from '@lockwell/contracts';
import type { NatsHandle } from '@lockwell/local-infra';
import type { Clock } from '@lockwell/service-kit';
import { answer, standIn, startServiceUnderTest, type ServiceUnderTest } from '@lockwell/testing';
import { service } from '../../src/app.module.js';

/** The administrator every identity under test bootstraps with. */
export const TEST_ADMIN = { email: 'admin@identity.test', password: 'a-long-admin-passphrase' };

/** What the tenants stand-in answers: tenants using a custom role, tenants a user owns alone (default: none). */
export const tenantsFixtures = {
  roleUsage: new Map<string, number>(),
  soleOwner: new Map<string, string[]>(),
};

const tenantsStandIn = standIn(
  'tenants',
  answer(TenantsMembershipRoleUsage, (data) => ({ tenants: tenantsFixtures.roleUsage.get(data.role_id) ?? 0 })),
  answer(TenantsMembershipSoleOwner, (data) => ({ tenant_ids: tenantsFixtures.soleOwner.get(data.user_id) ?? [] })),
);

export type IdentityUnderTest = ServiceUnderTest;

/** The identity service under the kit's harness, with TEST_ADMIN and a stand-in for the two tenants calls it makes. */
export function startIdentity(
  opts: { nats?: NatsHandle; clock?: Clock; env?: Record<string, string> } = {},
): Promise<IdentityUnderTest> {
  return startServiceUnderTest(service, {
    ...opts,
    standIns: [tenantsStandIn],
    env: { LOCKWELL_ADMIN_EMAIL: TEST_ADMIN.email, LOCKWELL_ADMIN_PASSWORD: TEST_ADMIN.password, ...opts.env },
  });
}
