import { jetstreamManager } from '@nats-io/jetstream';
import { SERVICE_NAMES, STREAMS, type ServiceName } from '@lockwell/contracts';
import { eventually, TestReceiver, TestSmtp } from '@lockwell/testing';
import { startTestOidcProvider, type TestOidcProvider } from '@lockwell/testing/oidc';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { adminToken, createUser, login } from './support/auth.js';
import { http, type HttpResult } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';
import { callbackUrl, connect, registerService, tokenOf } from './support/connectors.js';

// AUD-3 + ENC-1 + NT-2: one canary flows through every secret-bearing path (passwords, generic and typed secret
// values, versions, rollbacks, API tokens, refresh tokens, rejected input) and every feature: a third-party
// service whose client secret is the canary and whose token responses carry it (connect, hand-out, refresh,
// disconnect, against the local OpenID provider), reminders and alerts by mail, inbox and signed webhook, the
// audit log and its export. Then every place a value could leak to is searched for it and for every raw token
// (API, refresh, provider access tokens, the webhook signing secret): all log lines at trace level, every
// message of both JetStream streams, every error and list response, every row of every table of the six
// databases (bytea as raw bytes), every mail the mail catcher received and every webhook delivered. The hits
// are counted and printed (`canary hits: 0`).
const SERVICES: readonly ServiceName[] = SERVICE_NAMES;

interface Recorded {
  label: string;
  res: HttpResult;
}

describe('security: a canary secret never leaks (AUD-3, ENC-1)', () => {
  const canary = `CANARY-${randomUUID()}`;
  const lines: string[] = [];
  const errors: Recorded[] = [];
  const lists: Recorded[] = [];
  /** Raw token strings that must never appear anywhere either. */
  const rawTokens: string[] = [];
  /** Secret ids whose value was read, each of which must leave an audit record. */
  const readIds = new Set<string>();
  let sys: TestSystem;
  let admin: string;
  let smtp: TestSmtp;
  let receiver: TestReceiver;
  let provider: TestOidcProvider | undefined;
  /** Where the canary was looked for, and how often it was found (printed at the end). */
  const searched: Record<string, number> = {};
  let hits = 0;
  const tally = (where: string, items: number, found: number) => {
    searched[where] = items;
    hits += found;
  };

  /** Calls the gateway and files the response: every 4xx/5xx is an "error response", `list` marks lists. */
  async function call(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; headers?: Record<string, string>; list?: boolean } = {},
  ) {
    const res = await http(sys.url, method, path, opts);
    const label = `${method} ${path} -> ${res.status}`;
    if (res.status >= 400) errors.push({ label, res });
    if (opts.list) lists.push({ label, res });
    return res;
  }

  const needles = () => [canary, ...rawTokens];
  const leaksIn = (text: string) => needles().filter((n) => text.includes(n));

  beforeAll(async () => {
    smtp = await TestSmtp.start();
    receiver = await TestReceiver.start();
    sys = await startSystem({
      logLevel: 'trace',
      logSink: (line) => lines.push(line),
      env: { SMTP_URL: smtp.url, LOCKWELL_DELIVERY_POLL_MS: '200', LOCKWELL_REMINDER_INTERVAL_MS: '300' },
    });
    admin = await adminToken(sys);
    await exercise();
  }, 120_000);
  afterAll(async () => {
    await provider?.stop();
    await sys?.stop();
    await receiver?.stop();
    await smtp?.down();
    const where = Object.entries(searched)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    console.log(`canary hits: ${hits} (searched ${where})`);
  });

  async function exercise() {
    // A user whose password is the canary: create, log in, fail a login, change the password, refresh.
    const email = `canary-${randomUUID().slice(0, 8)}@lockwell.test`;
    const password = `${canary}-pw1`;
    const created = await call('POST', '/api/v1/users', {
      token: admin,
      body: { email, password, full_name: 'Canary User' },
    });
    expect(created.status).toBe(201);
    const dupUser = await call('POST', '/api/v1/users', {
      token: admin,
      body: { email, password: `${canary}-dup`, full_name: 'Dup' },
    });
    expect(dupUser.status).toBe(409);
    const first = await login(sys, email, password);
    rawTokens.push(first.refresh_token);
    expect((await call('POST', '/api/v1/auth/login', { body: { email, password: `${canary}-wrong` } })).status).toBe(
      401,
    );
    expect(
      (await call('POST', '/api/v1/auth/login', { body: { email, password: `${canary}-`.repeat(100) } })).status,
    ).toBe(400);
    const refreshed = await call('POST', '/api/v1/auth/refresh', { body: { refresh_token: first.refresh_token } });
    expect(refreshed.status).toBe(200);
    rawTokens.push(refreshed.body.refresh_token);
    let user = refreshed.body.access_token as string;
    const wrongCurrent = await call('POST', '/api/v1/users/me/password', {
      token: user,
      body: { current_password: `${canary}-not-it`, new_password: `${canary}-pw2` },
    });
    expect(wrongCurrent.status).toBeGreaterThanOrEqual(400);
    const changed = await call('POST', '/api/v1/users/me/password', {
      token: user,
      body: { current_password: password, new_password: `${canary}-pw2` },
    });
    expect(changed.status).toBeLessThan(300);
    const second = await login(sys, email, `${canary}-pw2`);
    rawTokens.push(second.refresh_token);
    user = second.access_token;
    // Presenting a spent refresh token is an error path that carries a token.
    expect((await call('POST', '/api/v1/auth/refresh', { body: { refresh_token: first.refresh_token } })).status).toBe(
      401,
    );

    // Generic personal secret: create, duplicate, update, read old version, rollback, list, versions.
    const generic = await call('POST', '/api/v1/user-secrets', {
      token: user,
      body: { service_name: 'svc', secret_key_name: 'generic', secret_value: `${canary}-v1` },
    });
    expect(generic.status).toBe(201);
    const id = generic.body.id as string;
    const dup = await call('POST', '/api/v1/user-secrets', {
      token: user,
      body: { service_name: 'svc', secret_key_name: 'generic', secret_value: `${canary}-dup` },
    });
    expect(dup.status).toBe(409);
    expect(
      (await call('PUT', `/api/v1/user-secrets/${id}`, { token: user, body: { secret_value: `${canary}-v2` } })).status,
    ).toBe(200);
    expect(
      (
        await call('PUT', `/api/v1/user-secrets/${id}`, {
          token: user,
          body: { secret_value: `${canary}-v3` },
          headers: { 'if-match': '"1"' },
        })
      ).status,
    ).toBe(412);
    const old = await call('GET', `/api/v1/user-secrets/${id}?version=1`, { token: user });
    expect(old.body.secret_value).toBe(`${canary}-v1`);
    readIds.add(id);
    expect(
      (await call('POST', `/api/v1/user-secrets/${id}/rollback`, { token: user, body: { version: 1 } })).status,
    ).toBeLessThan(300);
    const current = await call('GET', `/api/v1/user-secrets/${id}`, { token: user });
    expect(current.body).toMatchObject({ version: 3, secret_value: `${canary}-v1` });
    expect(
      (await call('POST', `/api/v1/user-secrets/${id}/rollback`, { token: user, body: { version: 99 } })).status,
    ).toBe(404);

    // Typed secrets: the canary in each type's secret field.
    const typed: Record<string, unknown>[] = [
      { type: 'api_key', data: { header_name: 'X-Api-Key', value: `${canary}-apikey` } },
      {
        type: 'client_credentials',
        data: {
          client_id: 'client-1',
          client_secret: `${canary}-cs`,
          token_url: 'https://auth.example.test/token',
          scopes: ['read'],
        },
      },
      { type: 'key_value', data: { pairs: { DB_PASSWORD: `${canary}-kv1`, API_TOKEN: `${canary}-kv2` } } },
      { type: 'key_value', data: { dotenv: `A=${canary}-dotenv\nB=plain\n` } },
      { type: 'bearer_token', data: { header_name: 'Authorization', header_value: `Bearer ${canary}-bearer` } },
    ];
    for (const [i, t] of typed.entries()) {
      const res = await call('POST', '/api/v1/user-secrets', {
        token: user,
        body: { service_name: 'typed', secret_key_name: `k${i}`, ...t },
      });
      expect(res.status).toBe(201);
      const read = await call('GET', `/api/v1/user-secrets/${res.body.id}`, { token: user });
      expect(read.text).toContain(canary);
      readIds.add(res.body.id);
    }
    const kv = await call('POST', '/api/v1/user-secrets', {
      token: user,
      body: { service_name: 'typed', secret_key_name: 'kv-upd', type: 'key_value', data: { pairs: { X: 'x' } } },
    });
    expect(
      (
        await call('PUT', `/api/v1/user-secrets/${kv.body.id}`, {
          token: user,
          body: { data: { pairs: { X: `${canary}-kv-upd` } } },
        })
      ).status,
    ).toBe(200);

    // Rejected input that carries the canary: invalid typed fields, too-long fields, unknown fields.
    const rejected: Record<string, unknown>[] = [
      {
        service_name: 'bad',
        secret_key_name: 'a',
        type: 'client_credentials',
        data: { client_id: 'c', client_secret: `${canary}-ok`, token_url: `not a url ${canary}` },
      },
      {
        service_name: 'bad',
        secret_key_name: 'b',
        type: 'api_key',
        data: { header_name: 'X', value: `${canary}`, smuggled: `${canary}-extra` },
      },
      {
        service_name: 'bad',
        secret_key_name: 'c',
        type: 'api_key',
        data: { header_name: `${canary}-`.repeat(10), value: 7 },
      },
      { service_name: 'bad', secret_key_name: 'd', type: 'key_value', data: { pairs: { '1bad': `${canary}-kv` } } },
      { service_name: 'bad', secret_key_name: 'e', type: 'bearer_token', data: { header_value: `${canary}-bearer` } },
      { service_name: 'bad', secret_key_name: 'f', secret_value: `${canary}`.repeat(1700) },
      { service_name: `${canary}`.repeat(6), secret_key_name: 'g', secret_value: 'v' },
      { service_name: 'bad', secret_key_name: 'h', secret_value: `${canary}`, description: `${canary}`.repeat(60) },
      { service_name: 'bad', secret_key_name: 'i', secret_value: `${canary}`, notes: `${canary}-unknown` },
      { service_name: 'bad', secret_key_name: 'j', secret_value: `${canary}`, tags: [`${canary}`.repeat(3)] },
      { service_name: 'bad', secret_key_name: 'k', secret_value: `${canary}`, environment: `Prod ${canary}` },
    ];
    for (const body of rejected) {
      const res = await call('POST', '/api/v1/user-secrets', { token: user, body });
      expect([400, 413]).toContain(res.status);
    }
    expect(
      (
        await call('PUT', `/api/v1/user-secrets/${id}`, {
          token: user,
          body: { secret_value: `${canary}`, extra: `${canary}-x` },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('PUT', `/api/v1/user-secrets/${randomUUID()}`, {
          token: user,
          body: { secret_value: `${canary}-missing` },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call('POST', '/api/v1/users', {
          token: admin,
          body: { email: `x-${randomUUID()}@lockwell.test`, password: `${canary}-long-`.repeat(40), full_name: 'X' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('POST', '/api/v1/users', {
          token: admin,
          body: {
            email: `x-${randomUUID()}@lockwell.test`,
            password: `${canary}-pw`,
            full_name: 'X',
            role: `${canary}`,
          },
        })
      ).status,
    ).toBe(400);

    // A tenant secret read through an API token: the token's raw value is a needle too.
    const tenant = await call('POST', '/api/v1/tenants', {
      token: user,
      body: { name: `Canary ${randomUUID().slice(0, 6)}` },
    });
    expect(tenant.status).toBe(201);
    const tenantId = tenant.body.id as string;
    const shared = await call('POST', '/api/v1/tenant-secrets', {
      token: user,
      body: { tenant_id: tenantId, service_name: 'db', secret_key_name: 'password', secret_value: `${canary}-tenant` },
    });
    expect(shared.status).toBe(201);
    const fresh = await login(sys, email, `${canary}-pw2`);
    rawTokens.push(fresh.refresh_token);
    const apiToken = await call('POST', '/api/v1/tokens/api', {
      token: fresh.access_token,
      body: { name: 'reader', tenant_id: tenantId, permissions: ['secrets:read', 'secrets:list'] },
    });
    expect(apiToken.status).toBe(201);
    rawTokens.push(apiToken.body.token);
    const viaToken = await call('GET', `/api/v1/tenant-secrets/${shared.body.id}`, { token: apiToken.body.token });
    expect(viaToken.body.secret_value).toBe(`${canary}-tenant`);
    readIds.add(shared.body.id);
    expect(
      (
        await call('POST', '/api/v1/tenant-secrets', {
          token: apiToken.body.token,
          body: { tenant_id: tenantId, service_name: 'db', secret_key_name: 'other', secret_value: `${canary}-denied` },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call('POST', '/api/v1/tenant-secrets', {
          token: user,
          body: { tenant_id: tenantId, service_name: 'db', secret_key_name: 'password', secret_value: `${canary}-dup` },
        })
      ).status,
    ).toBe(409);

    // Every list a client can see.
    for (const path of [
      '/api/v1/user-secrets',
      '/api/v1/user-secrets?limit=1',
      `/api/v1/user-secrets?q=${encodeURIComponent(canary)}`,
      `/api/v1/user-secrets/${id}/versions`,
      `/api/v1/user-secrets/${id}/usage`,
      '/api/v1/tokens/api',
      '/api/v1/tokens/sessions',
    ])
      expect((await call('GET', path, { token: user, list: true })).status).toBe(200);
    for (const path of [
      `/api/v1/tenant-secrets?tenant_id=${tenantId}`,
      `/api/v1/tenant-secrets/${shared.body.id}/versions`,
      `/api/v1/tenant-secrets/${shared.body.id}/usage`,
    ]) {
      expect((await call('GET', path, { token: user, list: true })).status).toBe(200);
    }
    expect(
      (await call('GET', `/api/v1/tenant-secrets?tenant_id=${tenantId}`, { token: apiToken.body.token, list: true }))
        .status,
    ).toBe(200);
    for (const path of ['/api/v1/users', '/api/v1/tenants', `/api/v1/tenants/${tenantId}/members`]) {
      expect((await call('GET', path, { token: admin, list: true })).status).toBe(200);
    }
    await exerciseFeatures(user, tenantId);
  }

  /** Connectors, notifications and audit, with the canary wherever a client can put it. */
  async function exerciseFeatures(user: string, tenantId: string) {
    // A third-party service: the canary is its client secret and rides in every token response it gives.
    const client = { client_id: 'canary-client', client_secret: `${canary}-client-secret` };
    provider = await startTestOidcProvider({
      clients: [{ ...client, redirect_uris: [callbackUrl(sys.url)] }],
      accessTokenTtlSeconds: 2,
      emulate: { extraTokenFields: { instance_url: `https://${canary}.example.test` } },
    });
    const serviceId = await registerService(sys.url, admin, provider, {
      credentials: client,
      quirks: { keep_token_fields: ['instance_url'] },
    });
    expect(
      (
        await call('POST', `/api/v1/admin/services/${serviceId}/secrets`, {
          token: admin,
          body: { secret_key_name: 'client_secret', secret_value: client.client_secret },
        })
      ).status,
    ).toBe(200);
    const connected = await connect(sys.url, provider, { token: user, serviceId, login: 'canary-login' });
    expect(connected.status).toBe(200);
    const connectionId = connected.body.connection.id as string;
    const first = await tokenOf(sys.url, user, connectionId);
    expect(first.status).toBe(200);
    expect(first.body.extra.instance_url).toContain(canary);
    rawTokens.push(first.body.access_token);
    // Past the provider's two seconds the hand-out refreshes with the (canary) client secret.
    await new Promise((r) => setTimeout(r, 2500));
    const refreshed = await tokenOf(sys.url, user, connectionId);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(first.body.access_token);
    rawTokens.push(refreshed.body.access_token);
    expect(provider.refreshGrants()).toBeGreaterThanOrEqual(1);
    for (const path of ['/api/v1/services', '/api/v1/services/connections'])
      expect((await call('GET', path, { token: user, list: true })).status).toBe(200);
    for (const path of [
      '/api/v1/admin/services',
      `/api/v1/admin/services/${serviceId}`,
      `/api/v1/admin/services/${serviceId}/secrets`,
    ])
      expect((await call('GET', path, { token: admin, list: true })).status).toBe(200);
    expect((await call('DELETE', `/api/v1/services/connections/${connectionId}`, { token: user })).status).toBe(200);
    expect(
      (await call('POST', `/api/v1/services/connections/${connectionId}/token`, { token: user, body: {} })).status,
    ).toBe(409);

    // Notifications: a webhook (its signing secret is a needle), a member added (alert), a secret with the
    // canary as value expiring in three days (reminder by mail, inbox and webhook), a deletion (webhook).
    const hook = await call('POST', `/api/v1/tenants/${tenantId}/webhooks`, {
      token: user,
      body: { url: receiver.url, description: 'canary receiver' },
    });
    expect(hook.status).toBe(201);
    rawTokens.push(hook.body.secret);
    const member = await createUser(sys, admin);
    expect(
      (
        await call('POST', `/api/v1/tenants/${tenantId}/members`, {
          token: user,
          body: { user_id: member.id, role: 'member' },
        })
      ).status,
    ).toBe(201);
    const expiring = await call('POST', '/api/v1/tenant-secrets', {
      token: user,
      body: {
        tenant_id: tenantId,
        service_name: 'payments',
        secret_key_name: 'expiring',
        secret_value: `${canary}-expiring`,
        expires_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      },
    });
    expect(expiring.status).toBe(201);
    const subject = '"payments/expiring" (production) expires in 3 day(s)';
    await eventually(async () => smtp.to(member.email).some((m) => m.mail.subject === subject), 20_000);
    await eventually(async () => receiver.requests.some((r) => JSON.parse(r.body).kind === 'secret.expiring'), 20_000);
    await eventually(async () => receiver.requests.some((r) => JSON.parse(r.body).kind === 'member.added'), 20_000);
    expect((await call('DELETE', `/api/v1/tenant-secrets/${expiring.body.id}`, { token: user })).status).toBe(204);
    await eventually(async () => receiver.requests.some((r) => JSON.parse(r.body).kind === 'secret.deleted'), 20_000);
    for (const token of [user, member.access_token])
      expect((await call('GET', '/api/v1/notifications', { token, list: true })).status).toBe(200);
    expect(
      (
        await call('GET', `/api/v1/tenants/${tenantId}/webhooks/${hook.body.id}/deliveries`, {
          token: user,
          list: true,
        })
      ).status,
    ).toBe(200);

    // The audit log and its export, by the tenant's owner and by the installation admin.
    for (const [path, token] of [
      [`/api/v1/audit?tenant_id=${tenantId}`, user],
      [`/api/v1/audit/export?tenant_id=${tenantId}`, user],
      ['/api/v1/audit', admin],
      ['/api/v1/audit/export', admin],
    ] as const)
      expect((await call('GET', path, { token, list: true })).status).toBe(200);
  }

  it('captured logs from every service at trace level, none carrying the canary or a raw token', () => {
    expect(lines.length).toBeGreaterThan(50);
    const services = new Set(lines.map((l) => (JSON.parse(l) as { service?: string }).service));
    expect([...services]).toEqual(expect.arrayContaining([...SERVICES, 'gateway']));
    const leaking = lines.filter((l) => leaksIn(l).length > 0);
    tally('log lines', lines.length, leaking.length);
    expect(leaking).toEqual([]);
  });

  it('puts no canary or raw token in any error response, and every error is the envelope', () => {
    expect(errors.length).toBeGreaterThanOrEqual(20);
    tally('error responses', errors.length, errors.filter(({ res }) => leaksIn(res.text).length).length);
    for (const { label, res } of errors) {
      expect({ label, leaks: leaksIn(res.text) }).toEqual({ label, leaks: [] });
      expect(res.status).toBeLessThan(500);
      expect(res.body?.error?.code).toEqual(expect.any(String));
    }
  });

  it('puts no canary or raw token in any list response', () => {
    expect(lists.length).toBeGreaterThanOrEqual(25);
    tally('list, audit and export responses', lists.length, lists.filter(({ res }) => leaksIn(res.text).length).length);
    for (const { label, res } of lists) expect({ label, leaks: leaksIn(res.text) }).toEqual({ label, leaks: [] });
  });

  it('publishes no canary or raw token on LOCKWELL_EVENTS or LOCKWELL_AUDIT, yet audits every read', async () => {
    const nc = await sys.connectAs('observer');
    try {
      const jsm = await jetstreamManager(nc);
      const readAll = async (stream: string) => {
        const { state } = await jsm.streams.info(stream);
        const out: { subject: string; data: string; text: string }[] = [];
        for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
          const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
          if (!msg) continue;
          const data = Buffer.from(msg.data).toString('utf8');
          out.push({
            subject: msg.subject,
            data,
            text: `${data}\n${msg.header ? [...msg.header.keys()].map((k) => `${k}: ${msg.header!.values(k).join(',')}`).join('\n') : ''}`,
          });
        }
        return out;
      };
      // The relay publishes after commit: wait until every read has its audit record.
      const audit = await eventually(async () => {
        const msgs = await readAll(STREAMS.AUDIT.name);
        const reads = msgs
          .filter((m) => m.subject === 'audit.vault.secret.read')
          .map((m) => (JSON.parse(m.data) as { data: { resource_id: string } }).data.resource_id);
        return [...readIds].every((id) => reads.includes(id)) ? msgs : null;
      }, 5000);
      const events = await readAll(STREAMS.EVENTS.name);
      expect(events.length).toBeGreaterThan(5);
      expect(audit.length).toBeGreaterThan(20);
      const messages = [...events, ...audit];
      tally('JetStream messages', messages.length, messages.filter((m) => leaksIn(m.text).length).length);
      for (const m of messages)
        expect({ subject: m.subject, leaks: leaksIn(m.text) }).toEqual({ subject: m.subject, leaks: [] });
    } finally {
      await nc.close();
    }
  });

  it('stores the canary and raw tokens in no column of any table of the six databases (bytea as raw bytes)', async () => {
    const needleBytes = needles().map((n) => Buffer.from(n, 'utf8'));
    const found: string[] = [];
    let rowsScanned = 0;
    for (const service of SERVICES) {
      const client = new pg.Client({ connectionString: sys.databaseUrl(service) });
      await client.connect();
      try {
        const { rows: tables } = await client.query<{ schema: string; name: string }>(
          `select table_schema as schema, table_name as name from information_schema.tables
           where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
        );
        for (const t of tables) {
          const { rows } = await client.query(`select * from "${t.schema}"."${t.name}"`);
          rowsScanned += rows.length;
          for (const row of rows) {
            for (const [column, value] of Object.entries(row)) {
              if (value === null || value === undefined) continue;
              const leak = Buffer.isBuffer(value)
                ? needleBytes.some((b) => value.includes(b))
                : leaksIn(typeof value === 'string' ? value : JSON.stringify(value)).length > 0;
              if (leak) found.push(`${service}.${t.name}.${column}`);
            }
          }
        }
      } finally {
        await client.end();
      }
    }
    expect(rowsScanned).toBeGreaterThan(30);
    tally('database rows', rowsScanned, found.length);
    expect(found).toEqual([]);
  });

  it('sends no canary or raw token in any mail (raw MIME, every part) or webhook delivery (body and headers)', () => {
    expect(smtp.mails.length).toBeGreaterThanOrEqual(3);
    expect(receiver.requests.length).toBeGreaterThanOrEqual(3);
    const mails = smtp.mails.filter((m) => leaksIn(m.raw).length).map((m) => m.mail.subject);
    const hooks = receiver.requests
      .filter((r) => leaksIn(`${JSON.stringify(r.headers)}\n${r.body}`).length)
      .map((r) => r.body.slice(0, 200));
    tally('mails', smtp.mails.length, mails.length);
    tally('webhook deliveries', receiver.requests.length, hooks.length);
    expect({ mails, hooks }).toEqual({ mails: [], hooks: [] });
  });
});
