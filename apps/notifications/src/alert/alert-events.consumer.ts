import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  ApiTokenCreated,
  ConnectionRefreshFailed,
  CONSUMERS,
  MasterKeyRotated,
  MembershipChanged,
  PasswordChanged,
  RefreshTokenReused,
  RoleChanged,
  systemContext,
  TenantsMembershipRoleTenants,
  type NotificationKind,
} from '@lockwell/contracts';
import { EventConsumers, RpcClient } from '@lockwell/service-kit';
import { NotificationService } from '../notification/notification.service.js';

const memberKind = (role: string | null, previous: string | null): NotificationKind =>
  role === null ? 'member.removed' : previous === null ? 'member.added' : 'member.role_changed';

/**
 * Sensitive operations: tenant owners and admins hear about membership changes, changes of a custom role their
 * tenant uses and API tokens bound to their tenant; installation admins about master-key rotation; a user
 * about their own password change, refresh-token reuse and personal API tokens (PW-5), and a connection's owner
 * when it needs reconnecting. One notification per event id.
 */
@Injectable()
export class AlertEventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: EventConsumers,
    private readonly notifications: NotificationService,
    private readonly rpc: RpcClient,
  ) {}

  async onApplicationBootstrap() {
    await this.consumers.subscribe(
      CONSUMERS.notificationsMembershipChanged.name,
      MembershipChanged,
      async (d, e, em) => {
        const kind = memberKind(d.role, d.previous_role);
        // Creating a tenant makes its creator the first owner: nobody needs telling about that.
        if (kind === 'member.added' && d.changed_by === d.user_id) return;
        await this.notifications.raise(em, {
          dedupeKey: `${kind}:${e.id}`,
          kind,
          audience: 'tenant_managers',
          tenantId: d.tenant_id,
          userId: null,
          resourceId: d.user_id,
          data: { member_id: d.user_id, role: d.role, previous_role: d.previous_role, changed_by: d.changed_by },
        });
      },
    );
    await this.consumers.subscribe(CONSUMERS.notificationsRoleChanged.name, RoleChanged, async (d, e, em) => {
      const { tenant_ids } = await this.rpc.request(
        TenantsMembershipRoleTenants,
        { role_id: d.role_id },
        systemContext(`role-changed-${e.id}`),
      );
      for (const tenantId of tenant_ids) {
        await this.notifications.raise(em, {
          dedupeKey: `role.changed:${e.id}:${tenantId}`,
          kind: 'role.changed',
          audience: 'tenant_managers',
          tenantId,
          userId: null,
          resourceId: d.role_id,
          data: { role_id: d.role_id },
        });
      }
    });
    await this.consumers.subscribe(CONSUMERS.notificationsApiTokenCreated.name, ApiTokenCreated, async (d, e, em) => {
      await this.notifications.raise(em, {
        dedupeKey: `token.created:${e.id}`,
        kind: 'token.created',
        audience: d.tenant_id ? 'tenant_managers' : 'user',
        tenantId: d.tenant_id,
        userId: d.tenant_id ? null : d.user_id,
        resourceId: d.token_id,
        data: { token_id: d.token_id, token_name: d.name, created_by: d.user_id, expires_at: d.expires_at },
      });
    });
    await this.consumers.subscribe(CONSUMERS.notificationsMasterKeyRotated.name, MasterKeyRotated, async (d, e, em) => {
      await this.notifications.raise(em, {
        dedupeKey: `master_key.rotated:${e.id}`,
        kind: 'master_key.rotated',
        audience: 'administrators',
        tenantId: null,
        userId: null,
        resourceId: String(d.active_master_key_id),
        data: { active_master_key_id: d.active_master_key_id, remaining: d.remaining },
      });
    });
    await this.consumers.subscribe(CONSUMERS.notificationsPasswordChanged.name, PasswordChanged, async (d, e, em) => {
      await this.notifications.raise(em, {
        dedupeKey: `password.changed:${e.id}`,
        kind: 'password.changed',
        audience: 'user',
        tenantId: null,
        userId: d.user_id,
        resourceId: d.user_id,
        data: { revoked_sessions: d.revoked_sessions },
      });
    });
    await this.consumers.subscribe(CONSUMERS.notificationsRefreshReuse.name, RefreshTokenReused, async (d, e, em) => {
      await this.notifications.raise(em, {
        dedupeKey: `session.refresh_reuse:${e.id}`,
        kind: 'session.refresh_reuse',
        audience: 'user',
        tenantId: null,
        userId: d.user_id,
        resourceId: d.session_id,
        data: { session_id: d.session_id },
      });
    });
    // "Reconnect needed": the provider refused the refresh for good; the connection's owner must connect again.
    await this.consumers.subscribe(
      CONSUMERS.notificationsConnectionRefreshFailed.name,
      ConnectionRefreshFailed,
      async (d, e, em) => {
        await this.notifications.raise(em, {
          dedupeKey: `connection.refresh_failed:${e.id}`,
          kind: 'connection.refresh_failed',
          audience: 'user',
          tenantId: d.tenant_id,
          userId: d.user_id,
          resourceId: d.connection_id,
          data: { connection_id: d.connection_id, service_name: d.service_name, reason: d.reason ?? 'refused' },
        });
      },
    );
  }
}
