// Reminders (NT-1, NT-3): each kind fires at the right time on a fake clock, exactly once per secret version,
// threshold and recipient although two replicas run the scheduler, dispatcher and delivery worker together;
// recipients are who is in the tenant at send time.
import {
  InactiveSecretRead,
  SecretBecameInactive,
  SecretCreated,
  SecretDeletionScheduled,
  type SecretEventData,
} from '@lockwell/contracts';
import { randomUUID } from 'node:crypto';
import { eventually, FakeClock, publishEvent, TestSmtp } from '@lockwell/testing';
import { startNotifications, type NotificationsSystem } from './support/notifications.js';

const DAY = 86_400_000;

describe('reminders with two replicas and a fake clock (real PostgreSQL, NATS and SMTP)', () => {
  let sys: NotificationsSystem;
  let smtp: TestSmtp;
  const t0 = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = new FakeClock(t0);
  const at = (days: number, extraMs = 0) => clock.set(new Date(t0.getTime() + days * DAY + extraMs));

  beforeAll(async () => {
    smtp = await TestSmtp.start();
    sys = await startNotifications({ replicas: 2, manual: true, clock, env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await sys?.stop();
    await smtp?.down();
  });

  const secret = (over: Partial<SecretEventData>): SecretEventData => ({
    secret_id: randomUUID(),
    scope: 'tenant',
    tenant_id: null,
    owner_id: null,
    service_name: 'stripe',
    secret_key_name: 'api_key',
    type: 'api_key',
    environment: 'production',
    version: 1,
    status: 'active',
    expires_at: null,
    deletion_scheduled_at: null,
    rotation_interval_days: null,
    actor_id: null,
    ...over,
  });
  const subjects = (address: string) => smtp.to(address).map((m) => m.mail.subject);
  const watched = (id: string) =>
    eventually(
      async () =>
        (await sys.instances[0]!.em().execute(`select 1 from watched_secrets where secret_id = ?`, [id])).length > 0,
    );

  it('fires expiry (30/7/1 days and on expiry), rotation and deletion (15/10/1 days) reminders once each, to current members only', async () => {
    const d = sys.directory;
    const [owner, admin, member, viewer, personal] = [
      d.user('owner'),
      d.user('admin'),
      d.user('member'),
      d.user('viewer'),
      d.user('personal'),
    ];
    const tenantId = d.tenant('Acme', [
      [owner, 'owner'],
      [admin, 'admin'],
      [member, 'member'],
      [viewer, 'viewer'],
    ]);
    const expiring = secret({
      tenant_id: tenantId,
      expires_at: new Date(t0.getTime() + 40 * DAY).toISOString(),
      rotation_interval_days: 60,
    });
    const doomed = secret({
      scope: 'user',
      owner_id: personal.id,
      service_name: 'github',
      secret_key_name: 'token',
      status: 'scheduled_for_deletion',
      deletion_scheduled_at: new Date(t0.getTime() + 20 * DAY).toISOString(),
    });
    await publishEvent(sys.nats, SecretCreated, expiring, tenantId);
    await publishEvent(sys.nats, SecretDeletionScheduled, doomed, null);
    await watched(expiring.secret_id);
    await watched(doomed.secret_id);

    at(0);
    await sys.tick();
    expect(smtp.mails).toHaveLength(0);

    at(5, 60_000); // the deletion is 15 days away
    await sys.tick();
    await sys.tick();
    expect(subjects(personal.email)).toEqual(['"github/token" (production) will be deleted in 15 day(s)']);

    at(10, 60_000); // expiry 30 days away, deletion 10
    await sys.tick();
    await sys.tick();
    for (const u of [owner, admin, member])
      expect(subjects(u.email)).toEqual(['"stripe/api_key" (production) expires in 30 day(s)']);
    expect(subjects(viewer.email)).toEqual([]);
    expect(subjects(personal.email)).toHaveLength(2);

    d.remove(tenantId, member.id); // a removed member hears nothing more
    at(19, 3_600_000);
    await sys.tick();
    expect(subjects(personal.email)[2]).toBe('"github/token" (production) will be deleted in 1 day(s)');

    at(33, 60_000);
    await sys.tick();
    await sys.tick();
    at(39, 3_600_000);
    await sys.tick();
    at(40, 60_000);
    await sys.tick();
    at(61);
    await sys.tick();
    await sys.tick();
    const expected = [
      '"stripe/api_key" (production) expires in 30 day(s)',
      '"stripe/api_key" (production) expires in 7 day(s)',
      '"stripe/api_key" (production) expires in 1 day(s)',
      '"stripe/api_key" (production) has expired',
      '"stripe/api_key" (production) is due for rotation',
    ];
    for (const u of [owner, admin]) expect(subjects(u.email)).toEqual(expected);
    expect(subjects(member.email)).toEqual(expected.slice(0, 1));
    // Each mail names the tenant and what to do; the inbox holds the same, once.
    const last = smtp.to(owner.email).at(-1)!.mail;
    expect(last.text).toContain('the tenant Acme');
    expect(last.text).toContain('What to do next');
    expect(last.html).toContain('<p>');
    const inbox = await sys.instances[0]!.em().execute<{ kind: string }[]>(
      `select kind from inbox_items where user_id = ? order by created_at`,
      [owner.id],
    );
    expect(inbox.map((r) => r.kind)).toEqual([
      'secret.expiring',
      'secret.expiring',
      'secret.expiring',
      'secret.expired',
      'secret.rotation_due',
    ]);
  });

  it('fires the nearest threshold once when a secret is created with thresholds already passed', async () => {
    const u = sys.directory.user('late');
    at(100);
    const s = secret({
      scope: 'user',
      owner_id: u.id,
      expires_at: new Date(clock.now().getTime() + 5 * DAY).toISOString(),
    });
    await publishEvent(sys.nats, SecretCreated, s, null);
    await watched(s.secret_id);
    await sys.tick();
    await sys.tick();
    expect(subjects(u.email)).toEqual(['"stripe/api_key" (production) expires in 5 day(s)']);
    const rows = await sys.instances[0]!.em().execute<{ dedupe_key: string }[]>(
      `select dedupe_key from notifications where resource_id = ?`,
      [s.secret_id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.dedupe_key).toMatch(new RegExp(`^secret\\.expiring:${s.secret_id}:v1:.*:7d$`));
  });

  it("tells a secret's people once when it became inactive and when an inactive secret was read, even if the event is redelivered", async () => {
    const u = sys.directory.user('sleepy');
    const s = secret({ scope: 'user', owner_id: u.id, status: 'inactive' });
    const eventId = randomUUID();
    await publishEvent(sys.nats, SecretBecameInactive, s, null, eventId);
    await publishEvent(sys.nats, SecretBecameInactive, s, null, eventId);
    await publishEvent(sys.nats, InactiveSecretRead, { ...s, status: 'active' }, null);
    await eventually(async () => {
      await sys.tick();
      return smtp.to(u.email).length >= 2;
    });
    await sys.tick();
    expect(subjects(u.email).sort()).toEqual([
      '"stripe/api_key" (production) became inactive',
      'an inactive secret was read: "stripe/api_key" (production)',
    ]);
  });
});
