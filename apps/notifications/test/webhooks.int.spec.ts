// Tenant webhooks over NATS: who may manage them, the secret shown once and sealed at rest, the body and
// Lockwell-Signature of docs/api.md checked with an independent HMAC, retries with backoff against a failing
// receiver, then the webhook disabled, audited and the owners told.
import { createHmac } from 'node:crypto';
import {
  BUILT_IN_TENANT_ROLES,
  MembershipChanged,
  NotificationsWebhookAttempts,
  NotificationsWebhookCreate,
  NotificationsWebhookDelete,
  NotificationsWebhookList,
  WebhookBody,
} from '@lockwell/contracts';
import { randomUUID } from 'node:crypto';
import { asUser, eventually, publishEvent, TestReceiver, TestSmtp } from '@lockwell/testing';
import { startNotifications, type NotificationsSystem } from './support/notifications.js';

describe('tenant webhooks (real PostgreSQL, NATS, HTTP receiver and SMTP)', () => {
  let sys: NotificationsSystem;
  let smtp: TestSmtp;
  let receiver: TestReceiver;
  beforeAll(async () => {
    smtp = await TestSmtp.start();
    receiver = await TestReceiver.start();
    sys = await startNotifications({
      env: { SMTP_URL: smtp.url, LOCKWELL_DELIVERY_MAX_ATTEMPTS: '3', LOCKWELL_WEBHOOK_DISABLE_AFTER_FAILURES: '3' },
    });
  });
  afterAll(async () => {
    await sys?.stop();
    await receiver?.stop();
    await smtp?.down();
  });

  const rpc = () => sys.instances[0]!.rpc;
  const as = (userId: string, tenantId: string, role: 'owner' | 'admin' | 'member') =>
    asUser(userId, { memberships: [{ tenantId, role, permissions: [...BUILT_IN_TENANT_ROLES[role]] }] });
  const fail = <T>(p: Promise<T>) =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: { code?: string }) => e,
    );
  const memberAdded = (tenantId: string) =>
    publishEvent(
      sys.nats,
      MembershipChanged,
      {
        tenant_id: tenantId,
        tenant_name: 'x',
        user_id: randomUUID(),
        role: 'member',
        previous_role: null,
        changed_by: null,
      },
      tenantId,
    );

  function verify(header: string, body: string, secret: string): boolean {
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    if (!m) return false;
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${m[1]}.${body}`).digest('hex');
    return expected === m[2] && Math.abs(Date.now() / 1000 - Number(m[1])) < 300;
  }

  it('lets owners and admins manage webhooks; members get 403, outsiders 404; the secret is shown once and sealed', async () => {
    const d = sys.directory;
    const [owner, admin, member] = [d.user('owner'), d.user('admin'), d.user('member')];
    const tenantId = d.tenant('Hooks', [
      [owner, 'owner'],
      [admin, 'admin'],
      [member, 'member'],
    ]);
    const created = await rpc().request(
      NotificationsWebhookCreate,
      { tenant_id: tenantId, url: receiver.url, events: ['member.added'] },
      as(admin.id, tenantId, 'admin'),
    );
    expect(created.secret).toMatch(/^lwwhsec_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ url: receiver.url, events: ['member.added'], status: 'active' });
    const list = await rpc().request(
      NotificationsWebhookList,
      { tenant_id: tenantId, limit: 50 },
      as(owner.id, tenantId, 'owner'),
    );
    expect(list.items.map((w) => w.id)).toEqual([created.id]);
    expect(JSON.stringify(list)).not.toContain(created.secret);
    const [row] = await sys.instances[0]!.em().execute<{ secret_sealed: Buffer }[]>(
      `select secret_sealed from webhooks where id = ?`,
      [created.id],
    );
    expect(Buffer.from(row!.secret_sealed).includes(Buffer.from(created.secret))).toBe(false);

    expect(
      (
        await fail(
          rpc().request(
            NotificationsWebhookCreate,
            { tenant_id: tenantId, url: receiver.url },
            as(member.id, tenantId, 'member'),
          ),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (await fail(rpc().request(NotificationsWebhookList, { tenant_id: tenantId, limit: 50 }, asUser(randomUUID()))))
        .code,
    ).toBe('TENANT_NOT_FOUND');
    expect(
      (
        await fail(
          rpc().request(
            NotificationsWebhookDelete,
            { tenant_id: tenantId, webhook_id: created.id },
            as(member.id, tenantId, 'member'),
          ),
        )
      ).code,
    ).toBe('FORBIDDEN');
    const other = d.tenant('Other', [[member, 'owner']]);
    expect(
      (
        await fail(
          rpc().request(
            NotificationsWebhookDelete,
            { tenant_id: other, webhook_id: created.id },
            as(member.id, other, 'owner'),
          ),
        )
      ).code,
    ).toBe('WEBHOOK_NOT_FOUND');
    expect(
      (
        await fail(
          rpc().request(
            NotificationsWebhookCreate,
            { tenant_id: tenantId, url: 'http://example.com/hook' },
            as(owner.id, tenantId, 'owner'),
          ),
        )
      ).code,
    ).toBe('VALIDATION_FAILED');

    await sys.instances[0]!.events.waitFor('audit.notifications.webhook.create', (a) => a.resource_id === created.id);
    await rpc().request(
      NotificationsWebhookDelete,
      { tenant_id: tenantId, webhook_id: created.id },
      as(owner.id, tenantId, 'owner'),
    );
    await sys.instances[0]!.events.waitFor('audit.notifications.webhook.delete', (a) => a.resource_id === created.id);
    expect(
      (
        await rpc().request(
          NotificationsWebhookList,
          { tenant_id: tenantId, limit: 50 },
          as(owner.id, tenantId, 'owner'),
        )
      ).items,
    ).toEqual([]);
  });

  it('posts the documented body signed with Lockwell-Signature, which verifies with HMAC-SHA256 over "<t>.<body>"', async () => {
    const owner = sys.directory.user('owner');
    const tenantId = sys.directory.tenant('Signed', [[owner, 'owner']]);
    const hook = await rpc().request(
      NotificationsWebhookCreate,
      { tenant_id: tenantId, url: receiver.url },
      as(owner.id, tenantId, 'owner'),
    );
    receiver.status = () => 204;
    await memberAdded(tenantId);
    const req = await eventually(async () => receiver.requests.find((r) => JSON.parse(r.body).tenant_id === tenantId));
    const body = WebhookBody.parse(JSON.parse(req.body));
    expect(body).toMatchObject({
      kind: 'member.added',
      tenant_id: tenantId,
      data: { role: 'member', tenant_name: 'Signed' },
    });
    expect(verify(String(req.headers['lockwell-signature']), req.body, hook.secret)).toBe(true);
    expect(verify(String(req.headers['lockwell-signature']), req.body, `${hook.secret}x`)).toBe(false);
    const log = await eventually(async () => {
      const page = await rpc().request(
        NotificationsWebhookAttempts,
        { tenant_id: tenantId, webhook_id: hook.id, limit: 10 },
        as(owner.id, tenantId, 'owner'),
      );
      return page.items.length ? page : null;
    });
    expect(log.items[0]).toMatchObject({ kind: 'member.added', attempt: 1, status_code: 204, succeeded: true });
  });

  it('retries a failing receiver with backoff, each attempt signed afresh, then disables the webhook and tells the owners', async () => {
    const [owner, admin] = [sys.directory.user('owner'), sys.directory.user('admin')];
    const tenantId = sys.directory.tenant('Failing', [
      [owner, 'owner'],
      [admin, 'admin'],
    ]);
    const failing = await TestReceiver.start();
    failing.status = () => 500;
    try {
      const hook = await rpc().request(
        NotificationsWebhookCreate,
        { tenant_id: tenantId, url: failing.url, events: ['member.added'] },
        as(owner.id, tenantId, 'owner'),
      );
      await memberAdded(tenantId);
      const list = await eventually(async () => {
        const page = await rpc().request(
          NotificationsWebhookList,
          { tenant_id: tenantId, limit: 5 },
          as(owner.id, tenantId, 'owner'),
        );
        return page.items[0]?.status === 'disabled' ? page : null;
      }, 10_000);
      expect(list.items[0]!.disabled_reason).toContain('3 failed deliveries in a row');
      expect(failing.requests).toHaveLength(3);
      const gaps = failing.requests.slice(1).map((r, i) => r.at - failing.requests[i]!.at);
      // Backoff 100 ms, then 200 ms (LOCKWELL_DELIVERY_BACKOFF_BASE_MS=100): lower bounds only, polling adds to them.
      expect(gaps[0]!).toBeGreaterThanOrEqual(90);
      expect(gaps[1]!).toBeGreaterThanOrEqual(190);
      for (const r of failing.requests)
        expect(verify(String(r.headers['lockwell-signature']), r.body, hook.secret)).toBe(true);
      const attempts = await rpc().request(
        NotificationsWebhookAttempts,
        { tenant_id: tenantId, webhook_id: hook.id, limit: 10 },
        as(admin.id, tenantId, 'admin'),
      );
      expect(attempts.items.map((a) => [a.attempt, a.status_code, a.succeeded])).toEqual([
        [3, 500, false],
        [2, 500, false],
        [1, 500, false],
      ]);
      const mail = await eventually(async () =>
        smtp.to(owner.email).find((m) => m.mail.subject === 'a webhook of Failing was disabled'),
      );
      expect(mail.mail.text).toContain(failing.url);
      expect(smtp.to(admin.email).filter((m) => m.mail.subject?.includes('disabled'))).toEqual([]);
      await sys.instances[0]!.events.waitFor('audit.notifications.webhook.disable', (a) => a.resource_id === hook.id);
      // Disabled: nothing more is posted.
      await memberAdded(tenantId);
      await new Promise((r) => setTimeout(r, 500));
      expect(failing.requests).toHaveLength(3);
    } finally {
      await failing.stop();
    }
  });
});
