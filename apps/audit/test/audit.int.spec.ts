import {
  AuditChainVerify,
  AuditRecordExport,
  AuditRecordList,
  HealthCheck,
  systemContext,
  type AuditVerifyResult,
} from '@lockwell/contracts';
import { NatsBus, loadBusCredentials } from '@lockwell/service-kit';
import { asUser, busEnv, eventually, membership, startTestNats } from '@lockwell/testing';
import type { NatsHandle } from '@lockwell/local-infra';
import { randomUUID } from 'node:crypto';
import { CheckpointJob } from '../src/chain/checkpoint.job.js';
import { AUDIT_WRITER_ROLE } from '../src/record/writer-role.js';
import { fromDb, type AuditRecordRow } from '../src/record/audit-record.row.js';
import { recordHash } from '../src/chain/canonical.js';
import { auditEvent, auditor, publishAudit, startAudit, tenantAdmin, type AuditUnderTest } from './factories/audit.js';

describe('audit service (real NATS and PostgreSQL)', () => {
  let nats: NatsHandle;
  let h: AuditUnderTest;
  const backlogTenant = randomUUID();
  let backlogIds: string[];

  beforeAll(async () => {
    nats = await startTestNats();
    // Written before the audit service ever ran: it must ingest them from the stream's start.
    backlogIds = await publishAuditBeforeStart();
    h = await startAudit({ nats });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await nats?.stop();
  });

  async function publishAuditBeforeStart(): Promise<string[]> {
    // The stream exists once any service started; create it the way every service does.
    const bus = await NatsBus.connect(loadBusCredentials('vault', busEnv(nats, 'vault')), 'test-streams');
    await bus.ensureStreams();
    await bus.close();
    return publishAudit(
      nats,
      [1, 2, 3].map((n) => auditEvent({ tenant_id: backlogTenant, detail: { n } })),
    );
  }

  const list = (ctx: ReturnType<typeof asUser>, q: Record<string, unknown> = {}) =>
    h.rpc.request(AuditRecordList, { limit: 50, ...q }, ctx);
  const verify = (tenantId?: string): Promise<AuditVerifyResult> =>
    h.rpc.request(AuditChainVerify, tenantId ? { tenant_id: tenantId } : {}, auditor());
  const fail = (p: Promise<unknown>): Promise<any> =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e) => e,
    );
  const recordsOf = (tenantId: string, n: number) =>
    eventually(async () => {
      const page = await list(auditor(), { tenant_id: tenantId });
      return page.items.length >= n ? page.items : null;
    }, 10_000);
  const sql = (text: string, params: unknown[] = []) => h.em().getConnection().execute(text, params);
  /** As a superuser with triggers off: what an attacker with the database's keys can do. */
  const tamper = (text: string, params: unknown[] = []) =>
    h.em().transactional(async (tx) => {
      await tx.execute(`set local session_replication_role = replica`);
      await tx.execute(text, params);
    });
  async function chainOf(n: number) {
    const tenant = randomUUID();
    await publishAudit(
      nats,
      Array.from({ length: n }, (_, i) => auditEvent({ tenant_id: tenant, detail: { n: i + 1 } })),
    );
    await recordsOf(tenant, n);
    await h.get(CheckpointJob).runOnce();
    return tenant;
  }

  it('ingests what the stream held before it started, in order, as one intact chain', async () => {
    const items = await recordsOf(backlogTenant, 3);
    expect(items.map((r) => r.id).sort()).toEqual([...backlogIds].sort());
    expect(await verify(backlogTenant)).toMatchObject({
      intact: true,
      records_checked: 3,
      first_broken: null,
      problem: null,
    });
  });

  it('records each event once, however often it is delivered (event id)', async () => {
    const tenant = randomUUID();
    const [id] = await publishAudit(nats, [auditEvent({ tenant_id: tenant })]);
    await publishAudit(nats, [auditEvent({ tenant_id: tenant })], { ids: [id!] });
    await publishAudit(nats, [auditEvent({ tenant_id: tenant, action: 'secret.update' })]);
    const items = await recordsOf(tenant, 2);
    await new Promise((r) => setTimeout(r, 300));
    expect((await list(auditor(), { tenant_id: tenant })).items.filter((r) => r.id === id)).toHaveLength(1);
    expect(items).toHaveLength(2);
  });

  it('keeps the record fields of docs/api.md, newest first, with filters and cursor paging', async () => {
    const tenant = randomUUID();
    const actor = randomUUID();
    const base = Date.now() - 60_000;
    const events = Array.from({ length: 5 }, (_, i) =>
      auditEvent({
        tenant_id: tenant,
        time: new Date(base + i * 1000).toISOString(),
        actor: { type: 'api_token', id: actor },
        outcome: i === 4 ? 'denied' : 'success',
        detail: { i },
      }),
    );
    await publishAudit(nats, events);
    await recordsOf(tenant, 5);
    const first = await list(auditor(), { tenant_id: tenant, limit: 2 });
    expect(first.items.map((r) => r.detail.i)).toEqual([4, 3]);
    expect(first.items[0]).toEqual({
      id: expect.any(String),
      time: events[4]!.time,
      tenant_id: tenant,
      actor: { type: 'api_token', id: actor },
      action: 'secret.read',
      resource_type: 'secret',
      resource_id: events[4]!.resource_id,
      outcome: 'denied',
      request_id: events[4]!.request_id,
      ip: '127.0.0.1',
      user_agent: 'lockwell-test',
      detail: { i: 4 },
    });
    const second = await list(auditor(), { tenant_id: tenant, limit: 2, cursor: first.next_cursor });
    const third = await list(auditor(), { tenant_id: tenant, limit: 2, cursor: second.next_cursor });
    expect([...second.items, ...third.items].map((r) => r.detail.i)).toEqual([2, 1, 0]);
    expect(third.next_cursor).toBeNull();
    expect((await list(auditor(), { tenant_id: tenant, outcome: 'denied' })).items).toHaveLength(1);
    expect(
      (
        await list(auditor(), { tenant_id: tenant, actor_id: actor, from: events[1]!.time, to: events[3]!.time })
      ).items.map((r) => r.detail.i),
    ).toEqual([2, 1]);
    expect((await list(auditor(), { tenant_id: tenant, resource_id: events[0]!.resource_id })).items).toHaveLength(1);
    expect((await list(auditor(), { tenant_id: tenant, action: 'nothing.here' })).items).toHaveLength(0);
    expect((await fail(list(auditor(), { cursor: 'garbage' }))).code).toBe('INVALID_CURSOR');
  });

  it('lets a tenant admin read only their tenant; a member without audit:read, an outsider and a missing tenant_id are refused', async () => {
    const mine = await chainOf(2);
    const theirs = await chainOf(2);
    const admin = tenantAdmin(mine);
    expect((await list(admin, { tenant_id: mine })).items.every((r) => r.tenant_id === mine)).toBe(true);
    expect((await fail(list(admin, { tenant_id: theirs }))).code).toBe('TENANT_NOT_FOUND');
    expect((await fail(list(admin))).code).toBe('VALIDATION_FAILED');
    const viewer = asUser(randomUUID(), { memberships: [membership(mine, ['tenant:read'], 'viewer')] });
    expect((await fail(list(viewer, { tenant_id: mine }))).code).toBe('FORBIDDEN');
    expect((await fail(h.rpc.request(AuditChainVerify, {}, admin))).code).toBe('VALIDATION_FAILED');
    expect((await fail(h.rpc.request(AuditChainVerify, { tenant_id: theirs }, admin))).code).toBe('TENANT_NOT_FOUND');
    expect((await fail(h.rpc.request(AuditRecordExport, { tenant_id: theirs, limit: 10 }, admin))).code).toBe(
      'TENANT_NOT_FOUND',
    );
    expect((await fail(list(systemContext('anonymous')))).code).toBe('UNAUTHENTICATED');
    // The global chain (installation events) is for installation auditors.
    const all = await list(auditor());
    expect(all.items.length).toBeGreaterThan(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE: the trigger for everyone, the grants for the service role', async () => {
    const tenant = await chainOf(1);
    for (const stmt of [
      `update audit_records set action = 'x' where tenant_id = ?`,
      `delete from audit_records where tenant_id = ?`,
    ]) {
      await expect(sql(stmt, [tenant])).rejects.toThrow(/append-only/);
      await expect(
        h.em().transactional(async (tx) => {
          await tx.execute(`set local session_replication_role = replica`);
          await tx.execute(`set local role ${AUDIT_WRITER_ROLE}`);
          await tx.execute(stmt, [tenant]);
        }),
      ).rejects.toThrow(/permission denied/);
    }
    await expect(sql(`truncate audit_records`)).rejects.toThrow(/append-only/);
    await expect(sql(`update audit_checkpoints set head_hash = 'x'`)).rejects.toThrow(/append-only/);
    expect(await verify(tenant)).toMatchObject({ intact: true, records_checked: 1 });
  });

  it('verifies a long chain in segments that resume at signed checkpoints, and refuses any other start', async () => {
    const tenant = await chainOf(3); // checkpoint at 3
    await publishAudit(
      nats,
      [4, 5, 6].map((n) => auditEvent({ tenant_id: tenant, detail: { n } })),
    );
    await recordsOf(tenant, 6);
    await h.get(CheckpointJob).runOnce(); // checkpoint at 6
    const segment = (q: Record<string, unknown>) =>
      h.rpc.request(AuditChainVerify, { tenant_id: tenant, max_records: 2, ...q }, auditor());
    expect(await segment({})).toMatchObject({
      intact: true,
      records_checked: 3,
      complete: false,
      next_after_sequence: 3,
    });
    expect(await segment({ after_sequence: 3 })).toMatchObject({
      intact: true,
      records_checked: 3,
      complete: false,
      next_after_sequence: 6,
    });
    expect(await segment({ after_sequence: 6 })).toMatchObject({ intact: true, records_checked: 0, complete: true });
    expect(await fail(segment({ after_sequence: 4 }))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('reports an edited record as the first broken one', async () => {
    const tenant = await chainOf(4);
    const victim = (await sql(`select id from audit_records where chain = ? and seq = 2`, [tenant]))[0].id;
    await tamper(`update audit_records set detail = '{"n": 99}' where id = ?`, [victim]);
    expect(await verify(tenant)).toMatchObject({
      intact: false,
      problem: 'hash_mismatch',
      first_broken: { id: victim },
      records_checked: 2,
    });
  });

  it('reports a record deleted from the middle, and an edit whose hash was recomputed', async () => {
    const gap = await chainOf(4);
    await tamper(`delete from audit_records where chain = ? and seq = 2`, [gap]);
    const third = (await sql(`select id from audit_records where chain = ? and seq = 3`, [gap]))[0].id;
    expect(await verify(gap)).toMatchObject({ intact: false, problem: 'sequence_gap', first_broken: { id: third } });

    const forged = await chainOf(3);
    const row = fromDb(
      (await sql(`select * from audit_records where chain = ? and seq = 2`, [forged]))[0] as AuditRecordRow,
    );
    const edited = { ...row, outcome: 'success' as const, action: 'secret.list' };
    const hash = recordHash(edited);
    await tamper(`update audit_records set action = 'secret.list', hash = ? where id = ?`, [hash, row.id]);
    const next = (await sql(`select id from audit_records where chain = ? and seq = 3`, [forged]))[0].id;
    // Self-consistent now, but no longer what its successor links to.
    expect(await verify(forged)).toMatchObject({ intact: false, problem: 'link_broken', first_broken: { id: next } });
  });

  it('detects that the newest records were removed (signed checkpoint), and a forged checkpoint', async () => {
    const tenant = await chainOf(5);
    await tamper(`delete from audit_records where chain = ? and seq >= 4`, [tenant]);
    const third = (await sql(`select id from audit_records where chain = ? and seq = 3`, [tenant]))[0].id;
    expect(await verify(tenant)).toMatchObject({
      intact: false,
      problem: 'truncated',
      first_broken: { id: third },
      records_checked: 3,
    });

    const other = await chainOf(2);
    await tamper(`update audit_checkpoints set created_at = created_at - interval '1 day' where chain = ?`, [other]);
    expect(await verify(other)).toMatchObject({ intact: false, problem: 'bad_checkpoint' });
  });

  it('prunes whole prefixes behind a checkpoint after the retention period; the rest still verifies', async () => {
    const pruned = await startAudit({ nats, env: { LOCKWELL_AUDIT_RETENTION_DAYS: '30' }, databaseUrl: h.databaseUrl });
    try {
      const tenant = randomUUID();
      const old = new Date(Date.now() - 40 * 86_400_000);
      await publishAudit(
        nats,
        [0, 1, 2].map((i) =>
          auditEvent({ tenant_id: tenant, time: new Date(old.getTime() + i * 1000).toISOString(), detail: { i } }),
        ),
      );
      await recordsOf(tenant, 3);
      await pruned.get(CheckpointJob).runOnce();
      await publishAudit(nats, [auditEvent({ tenant_id: tenant, detail: { i: 3 } })]);
      await recordsOf(tenant, 4);
      const run = await pruned.get(CheckpointJob).runOnce();
      expect(run.pruned).toBeGreaterThanOrEqual(3);
      const left = (await list(auditor(), { tenant_id: tenant })).items;
      expect(left.map((r) => r.detail.i)).toEqual([3]);
      expect(await verify(tenant)).toMatchObject({ intact: true, records_checked: 1 });
      // Deleting the prefix without a checkpoint behind it is not retention: it is reported.
      const other = await chainOf(3);
      await tamper(`delete from audit_records where chain = ? and seq = 1`, [other]);
      expect(await verify(other)).toMatchObject({ intact: false, problem: 'link_broken' });
    } finally {
      await pruned.stop();
    }
  });

  it('keeps no secret-looking value in detail, and control characters stay inside their field (AUD-3, AUD-5)', async () => {
    const tenant = randomUUID();
    await publishAudit(nats, [
      auditEvent({
        tenant_id: tenant,
        user_agent: 'evil\r\n{"action":"forged"}',
        detail: {
          password: 'hunter2',
          refresh_token: 'r',
          token_hash: 'abc',
          revoked_api_tokens: 2,
          name: 'a\nb\u0007',
          nul: 'x\u0000y',
        },
      }),
    ]);
    const [r] = await recordsOf(tenant, 1);
    expect(r!.detail).toEqual({
      password: '[REDACTED]',
      refresh_token: '[REDACTED]',
      token_hash: '[REDACTED]',
      revoked_api_tokens: 2,
      name: 'a\nb\u0007',
      nul: 'x\uFFFDy',
    });
    expect(r!.user_agent).toBe('evil\r\n{"action":"forged"}');
    const exported = await h.rpc.request(AuditRecordExport, { tenant_id: tenant, limit: 10 }, auditor());
    const lines = exported.items.map((x) => JSON.stringify(x));
    expect(lines.join('\n').split('\n')).toHaveLength(1);
    expect(exported.items[0]).toMatchObject({
      chain: tenant,
      sequence: 1,
      previous_hash: '0'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('drops an event not signed by the service its subject names, and reports its lag as a health figure', async () => {
    const tenant = randomUUID();
    await publishAudit(nats, [auditEvent({ tenant_id: tenant, action: 'forged.one' })], {
      owner: 'vault',
      signer: 'tenants',
    });
    await publishAudit(nats, [auditEvent({ tenant_id: tenant, action: 'genuine.one' })]);
    const items = await recordsOf(tenant, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(items.map((r) => r.action)).toEqual(['genuine.one']);
    const health = await eventually(async () => {
      const report = await h.rpc.request(HealthCheck.audit, {}, systemContext('test'));
      return report.figures?.audit_consumer_pending === 0 ? report : null;
    });
    expect(health.status).toBe('ok');
  });
});
