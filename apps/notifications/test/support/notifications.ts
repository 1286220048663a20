// The notifications service under the kit's harness, with stand-ins for what it asks at send time: tenants
// (who is a member of a tenant now, in which role; which tenants hold a custom role) and identity (addresses,
// status, the installation admins). Tests change the directory to add or remove people.
import {
  IdentityUserAdministrators,
  IdentityUserLookup,
  TenantsMembershipRecipients,
  TenantsMembershipRoleTenants,
  type UserSummary,
} from '@lockwell/contracts';
import type { NatsHandle } from '@lockwell/local-infra';
import type { Clock } from '@lockwell/service-kit';
import {
  answer,
  standIn,
  startServiceUnderTest,
  startTestNats,
  testDatabaseUrl,
  uniqueDatabaseName,
  type ServiceUnderTest,
} from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import { service } from '../../src/app.module.js';
import { DeliveryWorker } from '../../src/delivery/delivery.worker.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { ReminderScheduler } from '../../src/reminder/reminder.scheduler.js';

/** People and tenants the stand-ins answer from. */
export class Directory {
  readonly users = new Map<string, UserSummary & { admin?: boolean }>();
  readonly tenants = new Map<string, { name: string; members: Map<string, string> }>();

  user(name: string, opts: { admin?: boolean } = {}): UserSummary {
    const id = randomUUID();
    const u = {
      id,
      email: `${name}-${id.slice(0, 8)}@example.test`,
      full_name: name,
      status: 'active' as const,
      ...opts,
    };
    this.users.set(id, u);
    return u;
  }

  tenant(name: string, members: [UserSummary, string][]): string {
    const id = randomUUID();
    this.tenants.set(id, { name, members: new Map(members.map(([u, role]) => [u.id, role])) });
    return id;
  }

  private summary(id: string): UserSummary {
    const u = this.users.get(id)!;
    return { id: u.id, email: u.email, full_name: u.full_name, status: u.status };
  }

  remove(tenantId: string, userId: string) {
    this.tenants.get(tenantId)!.members.delete(userId);
  }

  standIns() {
    return [
      standIn(
        'identity',
        answer(IdentityUserLookup, (d) => ({
          users: d.user_ids.flatMap((id) => (this.users.has(id) ? [this.summary(id)] : [])),
        })),
        answer(IdentityUserAdministrators, () => ({
          users: [...this.users.values()].filter((u) => u.admin).map((u) => this.summary(u.id)),
        })),
      ),
      standIn(
        'tenants',
        answer(TenantsMembershipRecipients, (d) => {
          const t = this.tenants.get(d.tenant_id);
          return t
            ? { tenant_name: t.name, members: [...t.members].map(([user_id, role]) => ({ user_id, role })) }
            : { tenant_name: null, members: [] };
        }),
        answer(TenantsMembershipRoleTenants, (d) => ({
          tenant_ids: [...this.tenants]
            .filter(([, t]) => [...t.members.values()].includes(d.role_id))
            .map(([id]) => id),
        })),
      ),
    ];
  }
}

export interface NotificationsSystem {
  nats: NatsHandle;
  instances: ServiceUnderTest[];
  directory: Directory;
  /** Every instance runs its scheduler, then its dispatcher, then its delivery worker, all instances at once. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `replicas` instances of the service on one database and one bus (the first also serving the stand-ins). With
 * `manual`, the timers are off and tests drive the scheduler, dispatcher and worker through tick().
 */
export async function startNotifications(
  opts: { replicas?: number; env?: Record<string, string>; clock?: Clock; manual?: boolean } = {},
): Promise<NotificationsSystem> {
  const nats = await startTestNats();
  const directory = new Directory();
  const databaseUrl = testDatabaseUrl(uniqueDatabaseName('notifications'));
  const env = {
    ...(opts.manual
      ? { LOCKWELL_REMINDER_INTERVAL_MS: '0', LOCKWELL_DELIVERY_POLL_MS: '0' }
      : { LOCKWELL_REMINDER_INTERVAL_MS: '200', LOCKWELL_DELIVERY_POLL_MS: '100' }),
    LOCKWELL_DELIVERY_BACKOFF_BASE_MS: '100',
    LOCKWELL_DELIVERY_BACKOFF_MAX_MS: '400',
    ...opts.env,
  };
  const instances: ServiceUnderTest[] = [];
  const first = await startServiceUnderTest(service, {
    nats,
    databaseUrl,
    env,
    clock: opts.clock,
    standIns: directory.standIns(),
  });
  instances.push(first);
  for (let i = 1; i < (opts.replicas ?? 1); i++) {
    instances.push(
      await startServiceUnderTest(service, {
        nats,
        databaseUrl,
        env: { ...env, LOCKWELL_MASTER_KEY: first.masterKey },
        clock: opts.clock,
      }),
    );
  }
  return {
    nats,
    instances,
    directory,
    async tick() {
      await Promise.all(instances.map((i) => i.get(ReminderScheduler).runOnce()));
      await Promise.all(instances.map((i) => i.get(Dispatcher).drain()));
      await Promise.all(instances.map((i) => i.get(DeliveryWorker).drain()));
    },
    async stop() {
      for (const i of instances.reverse()) await i.stop();
      await nats.stop();
    },
  };
}
