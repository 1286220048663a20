// Notifications end to end (issue 19): the services and gateway over real NATS and PostgreSQL, a real SMTP
// server and a real webhook receiver. A canary secret value is never in any mail, inbox item or webhook body
// (NT-2); the inbox works through the gateway; a removed member receives nothing (NT-3); a password change
// mails the user (PW-5).
import { createHmac } from 'node:crypto';
import { eventually, TestReceiver, TestSmtp } from '@lockwell/testing';
import { adminToken, createUser, type CreatedUser, addMember } from './support/auth.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

const CANARY = `canary-${Date.now()}-value-that-must-never-leave-the-vault`;
const DAY = 86_400_000;

describe('notifications through the gateway (real SMTP and webhook receiver)', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let smtp: TestSmtp;
  let receiver: TestReceiver;
  let owner: CreatedUser;
  let member: CreatedUser;
  let tenantId: string;
  let webhookSecret: string;

  beforeAll(async () => {
    smtp = await TestSmtp.start();
    receiver = await TestReceiver.start();
    sys = await startSystem({
      env: { SMTP_URL: smtp.url, LOCKWELL_DELIVERY_POLL_MS: '200', LOCKWELL_REMINDER_INTERVAL_MS: '300' },
    });
    api = clientFor(sys.url);
    const admin = await adminToken(sys);
    [owner, member] = await Promise.all(
      ['owner', 'member'].map((n) => createUser(sys, admin, { full_name: `Notified ${n}` })),
    );
    tenantId = (await api.post('/api/v1/tenants', { name: 'Notified Co' }, { token: owner.access_token })).body.id;
    const hook = await api.post(
      `/api/v1/tenants/${tenantId}/webhooks`,
      { url: receiver.url, description: 'ci' },
      { token: owner.access_token },
    );
    expect(hook.status).toBe(201);
    webhookSecret = hook.body.secret;
    await addMember(sys, owner.access_token, tenantId, member.id);
  });
  afterAll(async () => {
    await sys?.stop();
    await receiver?.stop();
    await smtp?.down();
  });

  const inbox = async (u: CreatedUser) =>
    (await api.get('/api/v1/notifications', { token: u.access_token })).body.items as {
      id: string;
      kind: string;
      title: string;
      body: string;
      read_at: string | null;
    }[];

  it('shows the owner an inbox item, a mail and a signed webhook for a member added', async () => {
    const items = await eventually(async () => {
      const found = (await inbox(owner)).filter((i) => i.kind === 'member.added' && i.body.includes(member.email));
      return found.length ? found : null;
    });
    expect(items[0]!.title).toBe('a member was added to Notified Co');
    expect(items).toHaveLength(1);
    expect(items[0]!.body).toContain(
      `Notified member <${member.email}> was added to the tenant Notified Co with the role member`,
    );
    // Creating the tenant made the owner its first member: that alerts nobody.
    expect((await inbox(owner)).filter((i) => i.kind === 'member.added')).toHaveLength(1);
    await eventually(async () =>
      smtp.to(owner.email).some((m) => m.mail.subject === 'a member was added to Notified Co'),
    );
    const req = await eventually(async () => receiver.requests.find((r) => JSON.parse(r.body).kind === 'member.added'));
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['lockwell-signature']))!;
    expect(createHmac('sha256', Buffer.from(webhookSecret, 'utf8')).update(`${t}.${req.body}`).digest('hex')).toBe(v1);

    const read = await api.post(`/api/v1/notifications/${items[0]!.id}/read`, undefined, { token: owner.access_token });
    expect(read.status).toBe(200);
    expect(read.body.read_at).not.toBeNull();
    expect(
      (await api.post(`/api/v1/notifications/${items[0]!.id}/read`, undefined, { token: member.access_token })).status,
    ).toBe(404);
    expect(
      (await api.get('/api/v1/notifications', { token: member.access_token })).body.items.map(
        (i: { kind: string }) => i.kind,
      ),
    ).not.toContain('member.added');
    const prefs = await api.get('/api/v1/notifications/preferences', { token: member.access_token });
    expect(prefs.body.items.find((p: { kind: string }) => p.kind === 'secret.expiring')).toEqual({
      kind: 'secret.expiring',
      email: true,
      webhook: true,
      in_app: true,
    });
  });

  it('reminds the writers of an expiring secret by inbox, mail and webhook, never carrying its value; a removed member hears nothing', async () => {
    const expires = new Date(Date.now() + 3 * DAY).toISOString();
    const created = await api.post(
      '/api/v1/tenant-secrets',
      {
        tenant_id: tenantId,
        service_name: 'payments',
        secret_key_name: 'api_key',
        secret_value: CANARY,
        expires_at: expires,
      },
      { token: owner.access_token },
    );
    expect(created.status).toBe(201);
    const subject = '"payments/api_key" (production) expires in 3 day(s)';
    await eventually(
      async () =>
        smtp.to(owner.email).some((m) => m.mail.subject === subject) &&
        smtp.to(member.email).some((m) => m.mail.subject === subject),
      15_000,
    );
    await eventually(async () => receiver.requests.some((r) => JSON.parse(r.body).kind === 'secret.expiring'));

    expect(
      (await api.delete(`/api/v1/tenants/${tenantId}/members/${member.id}`, { token: owner.access_token })).status,
    ).toBe(204);
    const mailsBefore = smtp.to(member.email).length;
    const second = await api.post(
      '/api/v1/tenant-secrets',
      {
        tenant_id: tenantId,
        service_name: 'payments',
        secret_key_name: 'webhook_key',
        secret_value: CANARY,
        expires_at: expires,
      },
      { token: owner.access_token },
    );
    expect(second.status).toBe(201);
    await eventually(
      async () =>
        smtp.to(owner.email).some((m) => m.mail.subject === '"payments/webhook_key" (production) expires in 3 day(s)'),
      15_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.to(member.email)).toHaveLength(mailsBefore);
    expect((await inbox(member)).map((i) => i.title)).not.toContain(
      '"payments/webhook_key" (production) expires in 3 day(s)',
    );

    const deleted = await api.delete(`/api/v1/tenant-secrets/${created.body.id}`, { token: owner.access_token });
    expect(deleted.status).toBe(204);
    await eventually(async () => receiver.requests.some((r) => JSON.parse(r.body).kind === 'secret.deleted'));

    // NT-2: the canary is in no mail (raw MIME, all parts), no inbox item, no webhook body.
    for (const m of smtp.mails) expect(m.raw).not.toContain(CANARY);
    for (const u of [owner, member]) expect(JSON.stringify(await inbox(u))).not.toContain(CANARY);
    for (const r of receiver.requests) expect(r.body).not.toContain(CANARY);
    expect(smtp.mails.length).toBeGreaterThan(3);
  });

  it('mails the user when their password changed (PW-5)', async () => {
    const res = await api.post(
      '/api/v1/users/me/password',
      { current_password: owner.password, new_password: `${owner.password}-new!` },
      { token: owner.access_token },
    );
    expect(res.status).toBe(204);
    await eventually(
      async () => smtp.to(owner.email).some((m) => m.mail.subject === 'your Lockwell password was changed'),
      10_000,
    );
  });
});
