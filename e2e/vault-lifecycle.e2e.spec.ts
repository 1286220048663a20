import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { eventually, FakeClock } from '@lockwell/testing';
import { adminToken, createUser, type CreatedUser } from './support/auth.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';
import { LifecycleJob } from '../apps/vault/src/lifecycle/lifecycle.job.js';

const DAY_MS = 86_400_000;

// The StackSpot lifecycle through the gateway, with the services on a fake clock and the job run by hand
// (its timer is off), against real PostgreSQL and NATS.
describe('vault: secret lifecycle with a fake clock', () => {
  const clock = new FakeClock(new Date());
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let alice: CreatedUser;
  let tenantId: string;
  let db: pg.Client;
  let nc: NatsConnection;
  const events: { subject: string; id: string; status: string }[] = [];

  const job = () => sys.services.vault.get(LifecycleJob);
  const runJob = () => job().runOnce(clock.now());
  const token = () => alice.access_token;
  const path = (id: string) => `/api/v1/tenant-secrets/${id}`;

  async function create(name: string, value = `value-${name}`): Promise<string> {
    const res = await api.post(
      '/api/v1/tenant-secrets',
      { tenant_id: tenantId, service_name: 'lifecycle', secret_key_name: name, secret_value: value },
      { token: token() },
    );
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** The secret as the list shows it (metadata only). */
  async function listed(id: string) {
    const res = await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantId}&service_name=lifecycle&limit=200`, {
      token: token(),
    });
    expect(res.status).toBe(200);
    return res.body.items.find((i: { id: string }) => i.id === id);
  }

  async function rowsFor(id: string) {
    const count = async (table: string, column: string) =>
      (await db.query(`select count(*)::int as n from ${table} where ${column} = $1`, [id])).rows[0].n;
    return {
      secrets: await count('secrets', 'id'),
      versions: await count('secret_versions', 'secret_id'),
      access: await count('secret_access', 'secret_id'),
    };
  }

  beforeAll(async () => {
    sys = await startSystem({ clock, env: { LOCKWELL_LIFECYCLE_INTERVAL_MS: '0' } });
    api = clientFor(sys.url);
    const admin = await adminToken(sys);
    alice = await createUser(sys, admin);
    const tenant = await api.post('/api/v1/tenants', { name: `Life ${randomUUID().slice(0, 8)}` }, { token: token() });
    expect(tenant.status).toBe(201);
    tenantId = tenant.body.id;
    // Wait until the gateway sees the new membership.
    await eventually(
      async () => (await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantId}`, { token: token() })).status === 200,
      10_000,
    );
    db = new pg.Client({ connectionString: sys.databaseUrl('vault') });
    await db.connect();
    nc = await sys.connectAs('observer');
    nc.subscribe('evt.vault.secret.>', {
      callback: (_e, m) => {
        const data = (m.json() as { data: { secret_id: string; status: string } }).data;
        events.push({ subject: m.subject, id: data.secret_id, status: data.status });
      },
    });
  });
  afterAll(async () => {
    await nc?.close();
    await db?.end();
    await sys?.stop();
  });

  it('marks a secret unread for 30 days inactive; a read works, reactivates it and raises an alert', async () => {
    const read = await create('unread');
    const untouched = await create('untouched');
    clock.advanceDays(29);
    await runJob();
    expect((await listed(read)).status).toBe('active');
    clock.advanceDays(1.01);
    const run = await runJob();
    expect(run.inactive).toBeGreaterThanOrEqual(2);
    expect((await listed(read)).status).toBe('inactive');
    const inactive = await api.get(`/api/v1/tenant-secrets?tenant_id=${tenantId}&status=inactive`, { token: token() });
    expect(inactive.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([read, untouched]));
    // A second pass at the same instant changes nothing (no double transition).
    expect((await runJob()).inactive).toBe(0);

    const got = await api.get(path(read), { token: token() });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ secret_value: 'value-unread', status: 'active' });
    expect((await listed(read)).status).toBe('active');
    expect((await listed(read)).last_accessed_at).toBe(clock.now().toISOString());
    expect((await listed(untouched)).status).toBe('inactive');
    await eventually(
      async () => events.find((e) => e.subject === 'evt.vault.secret.inactive-read' && e.id === read),
      10_000,
    );
    await eventually(
      async () => events.find((e) => e.subject === 'evt.vault.secret.inactive' && e.id === untouched),
      10_000,
    );
  });

  it('DELETE ?mode=schedule sets the deletion 30 days ahead; cancel-deletion returns it to active', async () => {
    const id = await create('cancelled');
    const scheduled = await api.delete(`${path(id)}?mode=schedule`, { token: token() });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.secret_value).toBeUndefined();
    expect(scheduled.body).toMatchObject({
      id,
      status: 'scheduled_for_deletion',
      deletion_scheduled_at: new Date(clock.now().getTime() + 30 * DAY_MS).toISOString(),
    });
    expect((await listed(id)).status).toBe('scheduled_for_deletion');
    expect((await api.delete(`${path(id)}?mode=schedule`, { token: token() })).status).toBe(409);

    const cancelled = await api.post(`${path(id)}/cancel-deletion`, {}, { token: token() });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'active', deletion_scheduled_at: null });
    expect(await listed(id)).toMatchObject({ status: 'active', deletion_scheduled_at: null });
    expect((await api.post(`${path(id)}/cancel-deletion`, {}, { token: token() })).status).toBe(409);
    // Cancelled: the day it would have been destroyed passes and it is still there.
    clock.advanceDays(31);
    await runJob();
    expect((await api.get(path(id), { token: token() })).body.secret_value).toBe('value-cancelled');
  });

  it('an inactive secret can be scheduled; the job destroys it once the date passed, leaving no rows', async () => {
    const id = await create('doomed');
    expect((await api.put(path(id), { secret_value: 'doomed-v2' }, { token: token() })).status).toBe(200);
    expect((await api.get(path(id), { token: token() })).status).toBe(200);
    expect(await rowsFor(id)).toEqual({ secrets: 1, versions: 2, access: 1 });
    clock.advanceDays(31);
    await runJob();
    expect((await listed(id)).status).toBe('inactive');
    const scheduled = await api.delete(`${path(id)}?mode=schedule`, { token: token() });
    expect(scheduled.body.status).toBe('scheduled_for_deletion');

    clock.advanceDays(29);
    expect((await runJob()).deleted).toBe(0);
    expect((await listed(id)).status).toBe('scheduled_for_deletion');
    clock.advanceDays(1.01);
    // Two replicas running the job at once destroy it exactly once.
    const [a, b] = await Promise.all([job().runOnce(clock.now()), job().runOnce(clock.now())]);
    expect(a.deleted + b.deleted).toBe(1);
    const gone = await api.get(path(id), { token: token() });
    expect([gone.status, gone.body.error.code]).toEqual([404, 'SECRET_NOT_FOUND']);
    expect(await listed(id)).toBeUndefined();
    expect(await rowsFor(id)).toEqual({ secrets: 0, versions: 0, access: 0 });
    await eventually(async () => events.find((e) => e.subject === 'evt.vault.secret.deleted' && e.id === id), 10_000);
  });

  it('a read of a scheduled secret returns the value, reactivates it and cancels the deletion', async () => {
    const id = await create('rescued');
    expect((await api.delete(`${path(id)}?mode=schedule`, { token: token() })).status).toBe(200);
    clock.advanceDays(10);
    const got = await api.get(path(id), { token: token() });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ secret_value: 'value-rescued', status: 'active', deletion_scheduled_at: null });
    expect(await listed(id)).toMatchObject({ status: 'active', deletion_scheduled_at: null });
    await eventually(
      async () => events.find((e) => e.subject === 'evt.vault.secret.inactive-read' && e.id === id),
      10_000,
    );
    // Past the original deletion date the job leaves it alone (it only becomes inactive, 30 days after the read).
    clock.advanceDays(25);
    expect((await runJob()).deleted).toBe(0);
    expect((await api.get(path(id), { token: token() })).body.secret_value).toBe('value-rescued');
  });

  it('?mode=now (and no mode) destroys every version at once; an unknown mode is 400', async () => {
    const id = await create('now', 'now-v1');
    expect((await api.put(path(id), { secret_value: 'now-v2' }, { token: token() })).status).toBe(200);
    expect((await api.put(path(id), { secret_value: 'now-v3' }, { token: token() })).status).toBe(200);
    expect((await rowsFor(id)).versions).toBe(3);

    for (const mode of ['later', 'NOW', '']) {
      const bad = await api.delete(`${path(id)}?mode=${mode}`, { token: token() });
      expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await rowsFor(id)).versions).toBe(3);

    expect((await api.delete(`${path(id)}?mode=now`, { token: token() })).status).toBe(204);
    expect(await rowsFor(id)).toEqual({ secrets: 0, versions: 0, access: 0 });
    for (const v of ['', '?version=1', '?version=2'])
      expect((await api.get(`${path(id)}${v}`, { token: token() })).status).toBe(404);
    expect((await api.get(`${path(id)}/versions`, { token: token() })).status).toBe(404);

    const other = await create('default-mode');
    expect((await api.delete(path(other), { token: token() })).status).toBe(204);
    expect((await rowsFor(other)).secrets).toBe(0);
  });

  it('runs the same transitions on personal secrets', async () => {
    const created = await api.post(
      '/api/v1/user-secrets',
      { service_name: 'mine', secret_key_name: 'life', secret_value: 'personal-v1' },
      { token: token() },
    );
    const id = created.body.id;
    const mine = async () =>
      (await api.get('/api/v1/user-secrets?service_name=mine', { token: token() })).body.items[0];
    clock.advanceDays(31);
    await runJob();
    expect((await mine()).status).toBe('inactive');
    expect((await api.delete(`/api/v1/user-secrets/${id}?mode=schedule`, { token: token() })).body.status).toBe(
      'scheduled_for_deletion',
    );
    clock.advanceDays(31);
    expect((await runJob()).deleted).toBe(1);
    expect((await api.get(`/api/v1/user-secrets/${id}`, { token: token() })).status).toBe(404);
    expect(await rowsFor(id)).toEqual({ secrets: 0, versions: 0, access: 0 });
  });
});
