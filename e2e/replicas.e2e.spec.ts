// Two replicas of every service and two gateways (issue 23 "Replicas"), over real PostgreSQL and nats-server,
// with every scheduled job's timer short: requests spread over both replicas of each service through its NATS
// queue group (read off nats-server's own /connz), and each job's work happens exactly once although both
// replicas run it: one lifecycle transition per due secret, one reminder mail / inbox item / webhook per due
// reminder, one refresh grant per due token, one audit record per action, one checkpoint per chain position.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { SERVICE_NAMES, STREAMS } from '@lockwell/contracts';
import { eventually, readStream, startTestNats, TestReceiver, TestSmtp, type StreamMessage } from '@lockwell/testing';
import { startTestOidcProvider, type TestOidcProvider } from '@lockwell/testing/oidc';
import type { NatsHandle } from '@lockwell/local-infra';
import { adminToken, createUser, type CreatedUser, addMember } from './support/auth.js';
import { callbackUrl, CLIENT, connect, registerService, tokenOf } from './support/connectors.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY = 86_400_000;
const TTL_S = 3;
const JOB_MS = '300';
const REPLICAS = Object.fromEntries([...SERVICE_NAMES, 'gateway'].map((n) => [n, 2]));

interface QueueSub {
  qgroup?: string;
  msgs: number;
}
interface Connz {
  connections: { cid: number; name?: string; subscriptions_list_detail?: QueueSub[] }[];
}

/** Per queue group: how many requests each subscribed connection (one per replica) received, from nats-server's /connz. */
async function servedPerReplica(nats: NatsHandle): Promise<Record<string, number[]>> {
  const connz = (await (await fetch(`${nats.monitorUrl}/connz?subs=detail&limit=1024`)).json()) as Connz;
  const out: Record<string, number[]> = {};
  for (const c of connz.connections) {
    const perGroup = new Map<string, number>();
    for (const s of c.subscriptions_list_detail ?? [])
      if (s.qgroup) perGroup.set(s.qgroup, (perGroup.get(s.qgroup) ?? 0) + s.msgs);
    for (const [group, msgs] of perGroup) (out[group] ??= []).push(msgs);
  }
  return out;
}

describe('replicas: two of every service and of the gateway', () => {
  let nats: NatsHandle;
  let sys: TestSystem;
  let smtp: TestSmtp;
  let receiver: TestReceiver;
  let provider: TestOidcProvider;
  let audit: pg.Client;
  let vault: pg.Client;
  let owner: CreatedUser;
  let member: CreatedUser;
  let tenantId: string;
  const acked: { via: string; id: string }[] = [];

  beforeAll(async () => {
    nats = await startTestNats({ monitor: true });
    smtp = await TestSmtp.start();
    receiver = await TestReceiver.start();
    sys = await startSystem({
      nats,
      replicas: REPLICAS,
      env: {
        SMTP_URL: smtp.url,
        LOCKWELL_DELIVERY_POLL_MS: '200',
        LOCKWELL_REMINDER_INTERVAL_MS: JOB_MS,
        LOCKWELL_LIFECYCLE_INTERVAL_MS: JOB_MS,
        LOCKWELL_CONNECTORS_REFRESH_INTERVAL_MS: JOB_MS,
        LOCKWELL_AUDIT_CHECKPOINT_INTERVAL_MS: JOB_MS,
      },
    });
    provider = await startTestOidcProvider({
      clients: [{ ...CLIENT, redirect_uris: [callbackUrl(sys.url)] }],
      accessTokenTtlSeconds: TTL_S,
    });
    const api = clientFor(sys.url);
    const admin = await adminToken(sys);
    [owner, member] = await Promise.all(['owner', 'member'].map((n) => createUser(sys, admin, { full_name: n })));
    tenantId = (
      await api.post(
        '/api/v1/tenants',
        { name: `Replicated ${randomUUID().slice(0, 6)}` },
        { token: owner.access_token },
      )
    ).body.id;
    expect(
      (await api.post(`/api/v1/tenants/${tenantId}/webhooks`, { url: receiver.url }, { token: owner.access_token }))
        .status,
    ).toBe(201);
    await addMember(sys, owner.access_token, tenantId, member.id);
    audit = new pg.Client({ connectionString: sys.databaseUrl('audit') });
    vault = new pg.Client({ connectionString: sys.databaseUrl('vault') });
    await Promise.all([audit.connect(), vault.connect()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([audit?.end(), vault?.end()]);
    await provider?.stop();
    await sys?.stop();
    await nats?.stop();
    await receiver?.stop();
    await smtp?.down();
  }, 60_000);

  const auditCount = async (action: string, resourceId: string) =>
    (
      await audit.query<{ n: number }>(
        'select count(*)::int as n from audit_records where action = $1 and resource_id = $2',
        [action, resourceId],
      )
    ).rows[0]!.n;

  it('spreads requests over both replicas of every service (NATS queue groups) and serves through both gateways', async () => {
    expect(sys.urls).toHaveLength(2);
    for (const s of SERVICE_NAMES) expect({ s, replicas: sys.replicasOf(s).length }).toEqual({ s, replicas: 2 });
    // A mixed burst through both gateways: writes and reads of secrets, tenant and inbox reads, the audit log.
    for (let i = 0; i < 40; i++) {
      const via = sys.urls[i % 2]!;
      const api = clientFor(via);
      const created = await api.post(
        '/api/v1/tenant-secrets',
        { tenant_id: tenantId, service_name: 'replicas', secret_key_name: `k${i}`, secret_value: `v${i}` },
        { token: owner.access_token },
      );
      expect(created.status).toBe(201);
      acked.push({ via, id: created.body.id });
      expect((await api.get(`/api/v1/tenant-secrets/${created.body.id}`, { token: owner.access_token })).status).toBe(
        200,
      );
      expect((await api.get(`/api/v1/tenants/${tenantId}`, { token: owner.access_token })).status).toBe(200);
      expect((await api.get('/api/v1/notifications', { token: owner.access_token })).status).toBe(200);
      expect((await api.get('/api/v1/services', { token: owner.access_token })).status).toBe(200);
      expect((await api.get('/api/v1/users/me', { token: owner.access_token })).status).toBe(200);
      expect((await api.get('/readyz')).status).toBe(200); // a health call to every service
      expect((await api.get(`/api/v1/audit?tenant_id=${tenantId}&limit=1`, { token: owner.access_token })).status).toBe(
        200,
      );
    }
    const served = await servedPerReplica(nats);
    process.stdout.write(
      `\n[replicas] requests each replica received (NATS queue groups): ${SERVICE_NAMES.map((s) => `${s} ${served[s]?.join('+')}`).join(', ')}; gateways ${sys.urls.length} (40 bursts through each)\n`,
    );
    for (const s of SERVICE_NAMES) {
      const perReplica = served[s] ?? [];
      expect({ service: s, subscribers: perReplica.length }).toEqual({ service: s, subscribers: 2 });
      expect({ service: s, idle: perReplica.filter((n) => n === 0).length }).toEqual({ service: s, idle: 0 });
    }
  }, 180_000);

  it("does each scheduled job's work exactly once with two replicas running it", async () => {
    const api = clientFor(sys.url);
    // Lifecycle + reminders: a secret expiring in 3 days (one SecretExpiring, one reminder per writer and one
    // webhook), and one not read for 40 days (one SecretBecameInactive).
    const expiring = await api.post(
      '/api/v1/tenant-secrets',
      {
        tenant_id: tenantId,
        service_name: 'replicas',
        secret_key_name: 'expiring',
        secret_value: 'x',
        expires_at: new Date(Date.now() + 3 * DAY).toISOString(),
      },
      { token: owner.access_token },
    );
    expect(expiring.status).toBe(201);
    const idle = acked[0]!.id;
    await vault.query(`update secrets set activity_at = now() - interval '40 days' where id = $1`, [idle]);
    // Proactive refresh: a connection whose access token lives TTL_S seconds.
    const serviceId = await registerService(sys.url, await adminToken(sys), provider);
    const connected = await connect(sys.url, provider, {
      token: owner.access_token,
      serviceId,
      login: `owner-${randomUUID()}`,
    });
    expect(connected.status).toBe(200);
    const connectionId = connected.body.connection.id as string;
    const refreshesBefore = provider.refreshGrants();
    const windowStart = Date.now();
    // Several passes of every job in both replicas.
    await sleep(4 * TTL_S * 1000);
    const windowS = (Date.now() - windowStart) / 1000;

    // Vault lifecycle: one transition each, one audit record, one event.
    await eventually(async () => (await auditCount('secret.inactive', idle)) > 0, 10_000);
    await eventually(async () => (await auditCount('secret.expiring', expiring.body.id)) > 0, 10_000);
    const events = await readStream<{ id: string; data: { secret_id?: string } }>(
      nats,
      STREAMS.EVENTS.name,
      'evt.vault.',
    );
    const eventsFor = (subject: string, id: string) =>
      events.filter((e) => e.subject.endsWith(subject) && e.body.data.secret_id === id).length;
    // Reminders + dispatcher + delivery: one mail per writer, one webhook, one inbox item for the expiring secret.
    const subject = '"replicas/expiring" (production) expires in 3 day(s)';
    await eventually(async () => smtp.to(owner.email).some((m) => m.mail.subject === subject), 15_000);
    await eventually(async () => smtp.to(member.email).some((m) => m.mail.subject === subject), 15_000);
    await sleep(1500); // time for any duplicate to show up
    const webhooks = receiver.requests
      .map((r) => JSON.parse(r.body) as { kind: string; data?: { secret_id?: string } })
      .filter((b) => b.kind === 'secret.expiring');
    const inbox = (await api.get('/api/v1/notifications', { token: owner.access_token })).body.items.filter(
      (i: { kind: string; title: string }) => i.kind === 'secret.expiring' && i.title.includes('replicas/expiring'),
    );
    // Connectors: every refresh grant succeeded (a second replica refreshing the same rotated token would be
    // refused), each has its one audit record, and there were no more than one per due time.
    const refreshes = provider.refreshGrants() - refreshesBefore;
    const failedRefreshes = provider.tokenRequests.filter(
      (r) => r.grant_type === 'refresh_token' && r.status !== 200,
    ).length;
    await eventually(async () => (await auditCount('connection.refresh', connectionId)) >= refreshes, 10_000);
    const refreshAudits = await auditCount('connection.refresh', connectionId);
    const mostRefreshesDue = Math.ceil(windowS / (0.8 * TTL_S)) + 1;
    expect((await tokenOf(sys.url, owner.access_token, connectionId)).status).toBe(200);
    // Outbox relays + audit consumers: one audit record per acknowledged create, none twice in the chain.
    const recorded = new Map(
      (
        await audit.query<{ resource_id: string; n: number }>(
          `select resource_id, count(*)::int as n from audit_records where action = 'secret.create' and resource_id = any($1) group by resource_id`,
          [acked.map((a) => a.id)],
        )
      ).rows.map((r) => [r.resource_id, r.n]),
    );
    const createAudits = acked.map((a) => recorded.get(a.id) ?? 0);
    const duplicateAuditIds = (
      await audit.query<{ n: number }>(
        `select count(*)::int as n from (select id from audit_records group by id having count(*) > 1) d`,
      )
    ).rows[0]!.n;
    const auditStream = await readStream<{ id: string }>(nats, STREAMS.AUDIT.name);
    const relayedTwice = duplicatesOf(auditStream) + duplicatesOf(events);
    // Audit checkpoints: at least one per chain written, never two of the same chain position.
    const checkpoints = (
      await audit.query<{ total: number; distinct_positions: number; chains: number }>(
        `select count(*)::int as total, count(distinct (chain, seq))::int as distinct_positions, count(distinct chain)::int as chains from audit_checkpoints`,
      )
    ).rows[0]!;

    const figures = {
      inactive: { transitions: await auditCount('secret.inactive', idle), events: eventsFor('secret.inactive', idle) },
      expiring: {
        transitions: await auditCount('secret.expiring', expiring.body.id),
        events: eventsFor('secret.expiring', expiring.body.id),
      },
      reminders: {
        owner_mails: smtp.to(owner.email).filter((m) => m.mail.subject === subject).length,
        member_mails: smtp.to(member.email).filter((m) => m.mail.subject === subject).length,
        webhooks: webhooks.length,
        inbox: inbox.length,
      },
      refresh: { grants: refreshes, failed: failedRefreshes, audited: refreshAudits },
      audit: {
        creates_without_record: createAudits.filter((n) => n === 0).length,
        creates_recorded_twice: createAudits.filter((n) => n > 1).length,
        duplicate_record_ids: duplicateAuditIds,
        relayed_twice: relayedTwice,
      },
      checkpoints,
    };
    process.stdout.write(
      `\n[replicas] jobs with two replicas each: lifecycle inactive ${figures.inactive.transitions} transition / ${figures.inactive.events} event, ` +
        `expiring ${figures.expiring.transitions} / ${figures.expiring.events}; reminder mails ${figures.reminders.owner_mails}+${figures.reminders.member_mails}, ` +
        `webhooks ${figures.reminders.webhooks}, inbox ${figures.reminders.inbox}; refresh grants ${refreshes} in ${windowS.toFixed(1)} s ` +
        `(at most ${mostRefreshesDue} due, ${failedRefreshes} refused, ${refreshAudits} audited); audit: ${acked.length} creates, ` +
        `${figures.audit.creates_without_record} missing, ${figures.audit.creates_recorded_twice} twice, ${relayedTwice} messages relayed twice; ` +
        `checkpoints ${checkpoints.total} over ${checkpoints.chains} chains, ${checkpoints.total - checkpoints.distinct_positions} duplicate\n`,
    );
    expect(figures).toEqual({
      inactive: { transitions: 1, events: 1 },
      expiring: { transitions: 1, events: 1 },
      reminders: { owner_mails: 1, member_mails: 1, webhooks: 1, inbox: 1 },
      refresh: { grants: refreshes, failed: 0, audited: refreshes },
      audit: { creates_without_record: 0, creates_recorded_twice: 0, duplicate_record_ids: 0, relayed_twice: 0 },
      checkpoints: { ...checkpoints, distinct_positions: checkpoints.total },
    });
    expect(refreshes).toBeGreaterThanOrEqual(2);
    expect(refreshes).toBeLessThanOrEqual(mostRefreshesDue);
    expect(checkpoints.chains).toBeGreaterThan(0);
  }, 180_000);
});

/** Messages of a stream carrying an envelope id already seen (a relay publishing the same outbox row twice). */
function duplicatesOf(messages: StreamMessage<{ id: string }>[]): number {
  return messages.length - new Set(messages.map((m) => m.body.id)).size;
}
