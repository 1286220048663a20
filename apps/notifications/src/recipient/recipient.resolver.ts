import { Injectable } from '@nestjs/common';
import {
  IdentityUserAdministrators,
  IdentityUserLookup,
  systemContext,
  TenantsMembershipRecipients,
  type UserSummary,
} from '@lockwell/contracts';
import { RpcClient } from '@lockwell/service-kit';
import type { Audience } from '../notification/notification.js';

const ROLES_OF: Partial<Record<Audience, readonly string[]>> = {
  tenant_owners: ['owner'],
  tenant_managers: ['owner', 'admin'],
  tenant_members: ['owner', 'admin', 'member'],
};
const LOOKUP_BATCH = 200;

export interface Recipients {
  /** The tenant's current name (null for personal notifications). */
  tenantName: string | null;
  /** False when the tenant no longer exists or is being deleted: nobody is told anything about it. */
  tenantExists: boolean;
  /** Active users only. */
  users: UserSummary[];
}

/**
 * Who receives a notification, asked at dispatch time from tenants (who is a member now, in which role) and
 * identity (their address, whether they are still active). A member removed before dispatch is not asked about.
 */
@Injectable()
export class RecipientResolver {
  constructor(private readonly rpc: RpcClient) {}

  async resolve(n: {
    id: string;
    audience: Audience;
    tenant_id: string | null;
    user_id: string | null;
  }): Promise<Recipients> {
    const ctx = systemContext(`notification-${n.id}`);
    let tenantName: string | null = null;
    let userIds: string[] = [];
    if (n.tenant_id) {
      const tenant = await this.rpc.request(TenantsMembershipRecipients, { tenant_id: n.tenant_id }, ctx);
      if (tenant.tenant_name === null) return { tenantName: null, tenantExists: false, users: [] };
      tenantName = tenant.tenant_name;
      const roles = ROLES_OF[n.audience];
      if (roles) userIds = tenant.members.filter((m) => roles.includes(m.role)).map((m) => m.user_id);
      // A personal notice that names a tenant (none today) still reaches only a current member.
      else if (n.audience === 'user' && n.user_id && tenant.members.some((m) => m.user_id === n.user_id))
        userIds = [n.user_id];
    } else if (n.audience === 'user' && n.user_id) {
      userIds = [n.user_id];
    }
    let users: UserSummary[];
    if (n.audience === 'administrators') {
      users = (await this.rpc.request(IdentityUserAdministrators, {}, ctx)).users;
    } else {
      users = [];
      for (let i = 0; i < userIds.length; i += LOOKUP_BATCH) {
        users.push(
          ...(await this.rpc.request(IdentityUserLookup, { user_ids: userIds.slice(i, i + LOOKUP_BATCH) }, ctx)).users,
        );
      }
    }
    return { tenantName, tenantExists: true, users: users.filter((u) => u.status === 'active') };
  }

  /** How a message names another user (the member added or removed): "Full Name <email>", null if unknown. */
  async describe(userId: string, notificationId: string): Promise<string | null> {
    const { users } = await this.rpc.request(
      IdentityUserLookup,
      { user_ids: [userId] },
      systemContext(`notification-${notificationId}`),
    );
    return users[0] ? `${users[0].full_name} <${users[0].email}>` : null;
  }
}
