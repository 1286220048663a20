// The inbox and preferences over NATS, email when the SMTP server is down then up (NT-4), alerts to the user
// themself (PW-5), and nothing across users or tenants.
import {
  ConnectionRefreshFailed,
  MembershipChanged,
  NotificationsInboxList,
  NotificationsInboxRead,
  NotificationsPreferencesGet,
  NotificationsPreferencesPut,
  NOTIFICATION_KINDS,
  PasswordChanged,
  RefreshTokenReused,
  TenantDeleting,
  UserDeleted,
} from '@lockwell/contracts';
import { randomUUID } from 'node:crypto';
import { asUser, eventually, publishEvent, TestSmtp } from '@lockwell/testing';
import { startNotifications, type NotificationsSystem } from './support/notifications.js';

describe('inbox, preferences and email delivery (real PostgreSQL, NATS and SMTP)', () => {
  let sys: NotificationsSystem;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await TestSmtp.reserve(); // down: nothing listens on its port yet
    sys = await startNotifications({ env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await sys?.stop();
    await smtp?.down();
  });

  const rpc = () => sys.instances[0]!.rpc;
  const fail = <T>(p: Promise<T>) =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: { code?: string }) => e,
    );
  const count = async (sql: string, params: unknown[]) =>
    Number((await sys.instances[0]!.em().execute<{ n: string }[]>(`select count(*) as n from ${sql}`, params))[0]!.n);

  it('delivers a mail exactly once when the SMTP server was down and comes back', async () => {
    const u = sys.directory.user('pw');
    await publishEvent(sys.nats, PasswordChanged, { user_id: u.id, revoked_sessions: 2 }, null);
    await eventually(
      async () => (await count(`deliveries where user_id = ? and attempts >= 2 and status = 'pending'`, [u.id])) === 1,
      10_000,
    );
    await smtp.up();
    await eventually(async () => smtp.to(u.email).length === 1, 10_000);
    await new Promise((r) => setTimeout(r, 800));
    expect(smtp.to(u.email)).toHaveLength(1);
    expect(smtp.to(u.email)[0]!.mail.subject).toBe('your Lockwell password was changed');
    expect(await count(`deliveries where user_id = ? and status = 'sent'`, [u.id])).toBe(1);
  });

  it('shows each user only their own inbox, newest first, and marks items read', async () => {
    const [a, b] = [sys.directory.user('a'), sys.directory.user('b')];
    await publishEvent(sys.nats, RefreshTokenReused, { user_id: a.id, session_id: randomUUID() }, null);
    await publishEvent(sys.nats, PasswordChanged, { user_id: a.id, revoked_sessions: 0 }, null);
    const page = await eventually(async () => {
      const p = await rpc().request(NotificationsInboxList, { limit: 50 }, asUser(a.id));
      return p.items.length === 2 ? p : null;
    });
    expect(page.items.map((i) => i.kind).sort()).toEqual(['password.changed', 'session.refresh_reuse']);
    expect(page.items[0]!.created_at >= page.items[1]!.created_at).toBe(true);
    expect((await rpc().request(NotificationsInboxList, { limit: 50 }, asUser(b.id))).items).toEqual([]);
    const item = page.items[0]!;
    expect((await fail(rpc().request(NotificationsInboxRead, { notification_id: item.id }, asUser(b.id)))).code).toBe(
      'NOTIFICATION_NOT_FOUND',
    );
    const read = await rpc().request(NotificationsInboxRead, { notification_id: item.id }, asUser(a.id));
    expect(read.read_at).not.toBeNull();
    const unread = await rpc().request(NotificationsInboxList, { limit: 50, unread: true }, asUser(a.id));
    expect(unread.items.map((i) => i.id)).toEqual([page.items[1]!.id]);
    const first = await rpc().request(NotificationsInboxList, { limit: 1 }, asUser(a.id));
    const second = await rpc().request(NotificationsInboxList, { limit: 1, cursor: first.next_cursor! }, asUser(a.id));
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(page.items.map((i) => i.id));
  });

  it("follows each user's preferences per kind (defaults: everything), but always emails their own security alerts", async () => {
    const [owner, quiet] = [sys.directory.user('owner'), sys.directory.user('quiet')];
    const tenantId = sys.directory.tenant('Prefs', [
      [owner, 'owner'],
      [quiet, 'admin'],
    ]);
    const defaults = await rpc().request(NotificationsPreferencesGet, {}, asUser(quiet.id));
    expect(defaults.items.map((p) => p.kind)).toEqual([...NOTIFICATION_KINDS]);
    expect(defaults.items.every((p) => p.email && p.in_app && p.webhook)).toBe(true);
    const saved = await rpc().request(
      NotificationsPreferencesPut,
      {
        items: [
          { kind: 'member.added', email: false, webhook: true, in_app: false },
          { kind: 'password.changed', email: false, webhook: false, in_app: true },
        ],
      },
      asUser(quiet.id),
    );
    expect(saved.items.find((p) => p.kind === 'member.added')).toEqual({
      kind: 'member.added',
      email: false,
      webhook: true,
      in_app: false,
    });
    expect(
      (await rpc().request(NotificationsPreferencesGet, {}, asUser(owner.id))).items.find(
        (p) => p.kind === 'member.added',
      )!.email,
    ).toBe(true);
    expect(
      (
        await fail(
          rpc().request(
            NotificationsPreferencesPut,
            { items: [{ kind: 'nope', email: true, webhook: true, in_app: true }] } as never,
            asUser(quiet.id),
          ),
        )
      ).code,
    ).toBe('VALIDATION_FAILED');

    await publishEvent(
      sys.nats,
      MembershipChanged,
      {
        tenant_id: tenantId,
        tenant_name: 'Prefs',
        user_id: randomUUID(),
        role: 'viewer',
        previous_role: null,
        changed_by: owner.id,
      },
      tenantId,
    );
    await publishEvent(sys.nats, PasswordChanged, { user_id: quiet.id, revoked_sessions: 0 }, null);
    await eventually(async () => smtp.to(owner.email).length === 1 && smtp.to(quiet.email).length === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.to(owner.email).map((m) => m.mail.subject)).toEqual(['a member was added to Prefs']);
    expect(smtp.to(quiet.email).map((m) => m.mail.subject)).toEqual(['your Lockwell password was changed']);
    const inbox = await rpc().request(NotificationsInboxList, { limit: 50 }, asUser(quiet.id));
    expect(inbox.items.map((i) => i.kind)).toEqual(['password.changed']);
    // The owners' and admins' alert never goes to another tenant's people.
    expect(smtp.mails.filter((m) => m.mail.subject === 'a member was added to Prefs').flatMap((m) => m.to)).toEqual([
      owner.email,
    ]);
  });

  it("purges a deleted tenant's and a deleted user's notifications", async () => {
    const u = sys.directory.user('gone');
    const tenantId = sys.directory.tenant('Gone', [[u, 'owner']]);
    await publishEvent(
      sys.nats,
      MembershipChanged,
      {
        tenant_id: tenantId,
        tenant_name: 'Gone',
        user_id: randomUUID(),
        role: 'member',
        previous_role: null,
        changed_by: null,
      },
      tenantId,
    );
    await publishEvent(sys.nats, PasswordChanged, { user_id: u.id, revoked_sessions: 0 }, null);
    await eventually(async () => (await count(`inbox_items where user_id = ?`, [u.id])) === 2);
    await publishEvent(sys.nats, TenantDeleting, { tenant_id: tenantId }, tenantId);
    await sys.instances[0]!.events.waitFor('evt.notifications.tenant.purged', (d) => d.tenant_id === tenantId);
    expect(await count(`inbox_items where tenant_id = ?`, [tenantId])).toBe(0);
    expect(await count(`notifications where tenant_id = ?`, [tenantId])).toBe(0);
    await publishEvent(sys.nats, UserDeleted, { user_id: u.id }, null);
    await eventually(async () => (await count(`inbox_items where user_id = ?`, [u.id])) === 0);
    expect(await count(`deliveries where user_id = ?`, [u.id])).toBe(0);
  });
  it("asks a connection's owner to reconnect when its refresh failed for good, once per event", async () => {
    const u = sys.directory.user('oauth');
    const connectionId = randomUUID();
    await publishEvent(
      sys.nats,
      ConnectionRefreshFailed,
      {
        connection_id: connectionId,
        service_id: randomUUID(),
        service_name: 'GitHub',
        tenant_id: null,
        user_id: u.id,
        status: 'refresh_failed',
        reason: 'invalid_grant',
        previous_status: 'connected',
      },
      null,
    );
    await eventually(async () => smtp.to(u.email).length === 1, 10_000);
    const [mail] = smtp.to(u.email);
    expect(mail!.mail.subject).toBe('reconnect needed: GitHub');
    expect(mail!.mail.text).toContain('invalid_grant');
    const inbox = await rpc().request(NotificationsInboxList, { limit: 50 }, asUser(u.id));
    expect(inbox.items.map((i) => [i.kind, i.resource_id])).toEqual([['connection.refresh_failed', connectionId]]);
  });
});
