import type { EntityManager } from '@mikro-orm/postgresql';
import {
  InactiveSecretRead,
  SecretCreated,
  SecretDeleted,
  SecretDeletionScheduled,
  SecretUpdated,
  type CallContext,
} from '@lockwell/contracts';
import type { Logger } from '@lockwell/service-kit';
import { asApiToken, asUser, FakeClock, fakeUnitOfWork, membership, recordingOutbox } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import type { SecretReach } from '../access/secret-access.policy.js';
import { AuditedTransaction } from '../audit/audited-transaction.js';
import type { PurgedScopeRepository } from '../keys/purged-scope.repository.js';
import type { Scope } from '../keys/scope.js';
import type { SecretRow } from '../record/secret.row.js';
import type { VaultSettings } from '../vault-settings.js';
import { ReadRecorder } from './read-recorder.js';
import { SecretLookup } from './secret-lookup.js';
import type { Consumer, SecretUsageRepository } from './secret-usage.repository.js';
import type { SecretVersions } from './secret-versions.js';
import type { SecretChanges, SecretRepository } from './secret.repository.js';
import { SecretService } from './secret.service.js';

// The secret rules with every collaborator faked (no PostgreSQL, no crypto): the tables in memory, values stored
// as plain text by version. What the integration tests prove against PostgreSQL (locking, SQL, the envelope)
// is not repeated here; these are the decisions the service makes.

const T1 = randomUUID();
const T2 = randomUUID();
const ALICE = randomUUID();
const BOB = randomUUID();
const writer = (tenantId = T1, ...extra: string[]) =>
  membership(tenantId, ['secrets:read', 'secrets:write', 'secrets:delete', 'secrets:list', ...extra]);
const settings: VaultSettings = {
  inactiveAfterDays: 30,
  deletionDelayDays: 30,
  expiryWarningDays: 7,
  lifecycleIntervalMs: 0,
  dekCacheTtlMs: 0,
  dekCacheMax: 0,
  dekMaxEncryptions: 100,
  dekMaxAgeDays: 365,
  maxSecretsPerTenant: 3,
  maxSecretsPerUser: 2,
};

const inScope = (row: SecretRow, scope: Scope) =>
  row.scope_type === scope.type && (scope.type === 'tenant' ? row.tenant_id : row.owner_id) === scope.id;
const inReach = (row: SecretRow, reach: SecretReach) =>
  reach.type === 'user'
    ? row.scope_type === 'user' && row.owner_id === reach.ownerId
    : row.scope_type === 'tenant' && reach.tenantIds.includes(row.tenant_id!);

function setUp(opts: { purged?: Scope[] } = {}) {
  const rows: SecretRow[] = [];
  const values = new Map<string, string>();
  const reads: Consumer[] = [];
  const secrets = {
    insert: async (_em: EntityManager, row: SecretRow) => void rows.push({ ...row }),
    // Copies, as PostgreSQL returns them: a later change does not reach a row already read.
    find: async (_em: EntityManager, reach: SecretReach, id: string) =>
      copy(rows.find((r) => r.id === id && inReach(r, reach))),
    findWithSealed: async (_em: EntityManager, reach: SecretReach, id: string, version: number | null) => {
      const row = copy(rows.find((r) => r.id === id && inReach(r, reach)));
      if (!row) return undefined;
      const wanted = version ?? row.current_version;
      const value = values.get(`${id}:${wanted}`);
      return {
        row,
        sealed:
          value === undefined ? undefined : { version: wanted, ciphertext: Buffer.from(value), data_key_version: 1 },
      };
    },
    update: async (_em: EntityManager, scope: Scope, id: string, changes: SecretChanges) => {
      const row = rows.find((r) => r.id === id && inScope(r, scope))!;
      return copy(Object.assign(row, changes));
    },
    destroy: async (_em: EntityManager, scope: Scope, id: string) =>
      void rows.splice(
        rows.findIndex((r) => r.id === id && inScope(r, scope)),
        1,
      ),
    lockAndCount: async (_em: EntityManager, scope: Scope) => rows.filter((r) => inScope(r, scope)).length,
    nameTaken: async (_em: EntityManager, scope: Scope, n: SecretRow, exceptId: string) =>
      rows.some(
        (r) =>
          inScope(r, scope) &&
          r.id !== exceptId &&
          r.environment === n.environment &&
          r.service_name === n.service_name &&
          r.secret_key_name === n.secret_key_name,
      ),
    list: async (
      _em: EntityManager,
      scope: Scope,
      filter: { environments: string[] | null },
      _cursor: unknown,
      limit: number,
    ) =>
      rows
        .filter((r) => inScope(r, scope) && (!filter.environments || filter.environments.includes(r.environment)))
        .slice(0, limit),
    markRead: async (_em: EntityManager, scope: Scope, id: string, now: Date) => {
      const row = rows.find((r) => r.id === id && inScope(r, scope))!;
      const wasActive = row.status === 'active';
      Object.assign(
        row,
        { last_accessed_at: now, activity_at: now },
        wasActive ? {} : { status: 'active', inactive_since: null, deletion_scheduled_at: null },
      );
      return { reactivated: wasActive ? undefined : { ...row } };
    },
    touchRead: async (_em: EntityManager, ids: string[], now: Date) => {
      for (const row of rows)
        if (ids.includes(row.id) && row.status === 'active')
          Object.assign(row, { last_accessed_at: now, activity_at: now });
    },
  } as unknown as SecretRepository;
  const versions = {
    seal: async (_em: EntityManager, row: SecretRow, version: number, plaintext: string) =>
      void values.set(`${row.id}:${version}`, plaintext),
    open: async (_em: EntityManager, row: SecretRow, version: number) => values.get(`${row.id}:${version}`),
    openSealed: async (_em: EntityManager, _row: SecretRow, sealed: { ciphertext: Buffer }) =>
      sealed.ciphertext.toString(),
  } as unknown as SecretVersions;
  const usage = {
    record: async (_em: EntityManager, _id: string, consumer: Consumer) => void reads.push(consumer),
    recordMany: async (_em: EntityManager, batch: { consumer: Consumer; count: number }[]) => {
      for (const { consumer, count } of batch) for (let i = 0; i < count; i++) reads.push(consumer);
    },
  } as unknown as SecretUsageRepository;
  const purged = {
    isPurged: async (_em: EntityManager, scope: Scope) =>
      (opts.purged ?? []).some((p) => p.type === scope.type && p.id === scope.id),
  } as unknown as PurgedScopeRepository;
  const em = fakeUnitOfWork();
  const outbox = recordingOutbox();
  const clock = new FakeClock('2026-12-01T10:00:00Z');
  const tx = new AuditedTransaction(em, outbox, clock, { error: () => undefined } as unknown as Logger);
  const service = new SecretService(
    em,
    secrets,
    new SecretLookup(em, secrets, tx),
    versions,
    usage,
    purged,
    tx,
    new ReadRecorder(tx, secrets, usage, settings),
    settings,
  );
  const create = (ctx: CallContext, over: Record<string, unknown> = {}) =>
    service.create(ctx, {
      scope: 'tenant',
      tenant_id: T1,
      service_name: 'api',
      secret_key_name: `k-${randomUUID().slice(0, 8)}`,
      secret_value: 's3cret',
      ...over,
    } as never);
  return { service, rows, values, reads, outbox, clock, create };
}

const copy = <R>(row: R | undefined): R | undefined => (row ? { ...row } : undefined);
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: string }) => e.code,
  );

describe('SecretService', () => {
  it('creates a tenant secret as version 1, returns its value once, and queues SecretCreated without the value', async () => {
    const t = setUp();
    const created = await t.create(asUser(ALICE, { memberships: [writer()] }));
    expect(created).toMatchObject({
      scope: 'tenant',
      tenant_id: T1,
      version: 1,
      secret_value: 's3cret',
      environment: 'production',
      created_by: ALICE,
    });
    expect(t.values.get(`${created.id}:1`)).toBe(JSON.stringify({ value: 's3cret' }));
    expect(t.outbox.eventsOf(SecretCreated)).toEqual([
      expect.objectContaining({ secret_id: created.id, tenant_id: T1, actor_id: ALICE }),
    ]);
    expect(JSON.stringify(t.outbox.events)).not.toContain('s3cret');
    expect(t.outbox.auditActions()).toEqual(['secret.create']);
  });

  it("refuses a create outside the caller's tenants, without write permission, in a shredded scope, over quota or under a taken name", async () => {
    const t = setUp({ purged: [{ type: 'tenant', id: T2 }] });
    const alice = asUser(ALICE, { memberships: [writer(), writer(T2)] });
    expect(await code(t.create(asUser(BOB)))).toBe('TENANT_NOT_FOUND');
    expect(await code(t.create(asUser(BOB, { memberships: [membership(T1, ['secrets:read'])] })))).toBe('FORBIDDEN');
    expect(await code(t.create(alice, { tenant_id: T2 }))).toBe('TENANT_NOT_FOUND');
    await t.create(alice, { secret_key_name: 'same' });
    expect(await code(t.create(alice, { secret_key_name: 'same' }))).toBe('SECRET_ALREADY_EXISTS');
    await t.create(alice);
    await t.create(alice);
    expect(await code(t.create(alice))).toBe('QUOTA_EXCEEDED');
    expect(t.rows).toHaveLength(3);
  });

  it("keeps personal secrets to their owner: another user and the owner's API token are refused, the token's refusal audited", async () => {
    const t = setUp();
    const mine = await t.create(asUser(ALICE), { scope: 'user', tenant_id: undefined });
    expect(mine).toMatchObject({ scope: 'user', owner_id: ALICE, tenant_id: null });
    expect(await code(t.service.get(asUser(BOB), 'user', mine.id, undefined))).toBe('SECRET_NOT_FOUND');
    expect(await code(t.service.get(asApiToken(ALICE, randomUUID()), 'user', mine.id, undefined))).toBe('FORBIDDEN');
    expect(t.outbox.audits.filter((a) => a.outcome === 'denied').map((a) => [a.action, a.resourceId])).toEqual([
      ['secret.read', mine.id],
    ]);
    expect((await t.service.get(asUser(ALICE), 'user', mine.id, undefined)).secret_value).toBe('s3cret');
  });

  it('records a read for its consumer and reactivates an inactive secret, saying so with InactiveSecretRead', async () => {
    const t = setUp();
    const alice = asUser(ALICE, { memberships: [writer()] });
    const s = await t.create(alice);
    t.rows[0]!.status = 'inactive';
    const tokenId = randomUUID();
    const read = await t.service.get(
      asApiToken(ALICE, tokenId, { memberships: [writer()] }),
      'tenant',
      s.id,
      undefined,
    );
    expect(read).toMatchObject({
      status: 'active',
      secret_value: 's3cret',
      last_accessed_at: t.clock.now().toISOString(),
    });
    expect(t.reads).toEqual([{ type: 'api_token', id: tokenId }]);
    expect(t.outbox.eventsOf(InactiveSecretRead)).toEqual([
      expect.objectContaining({ secret_id: s.id, status: 'inactive' }),
    ]);
  });

  it('writes a new version only for a new value, checks If-Match, and refuses a move to an environment the caller cannot write', async () => {
    const t = setUp();
    const limited = asUser(ALICE, {
      memberships: [membership(T1, ['secrets:read', 'secrets:write@production', 'secrets:list'])],
    });
    const s = await t.create(asUser(ALICE, { memberships: [writer()] }));
    const renamed = await t.service.update(limited, { scope: 'tenant', secret_id: s.id, description: 'db' } as never);
    expect(renamed).toMatchObject({ version: 1, description: 'db', secret_value: 's3cret' });
    expect(t.outbox.eventsOf(SecretUpdated)).toHaveLength(1);
    const rotated = await t.service.update(limited, {
      scope: 'tenant',
      secret_id: s.id,
      secret_value: 'next',
      if_match: '"1"',
    } as never);
    expect(rotated).toMatchObject({ version: 2, secret_value: 'next' });
    expect(
      await code(
        t.service.update(limited, { scope: 'tenant', secret_id: s.id, secret_value: 'late', if_match: '"1"' } as never),
      ),
    ).toBe('PRECONDITION_FAILED');
    expect(
      await code(t.service.update(limited, { scope: 'tenant', secret_id: s.id, environment: 'staging' } as never)),
    ).toBe('FORBIDDEN');
    expect(t.rows[0]).toMatchObject({ environment: 'production', current_version: 2 });
  });

  it('lists only the environments a limited grant may see', async () => {
    const t = setUp();
    const alice = asUser(ALICE, { memberships: [writer()] });
    await t.create(alice, { environment: 'production' });
    await t.create(alice, { environment: 'staging' });
    const stagingOnly = asUser(BOB, { memberships: [membership(T1, ['secrets:list@staging'])] });
    const page = await t.service.list(stagingOnly, { scope: 'tenant', tenant_id: T1, limit: 10 } as never);
    expect(page.items.map((i) => i.environment)).toEqual(['staging']);
    expect(page.next_cursor).toBeNull();
    expect(await code(t.service.list(asUser(BOB), { scope: 'tenant', tenant_id: T1, limit: 10 } as never))).toBe(
      'TENANT_NOT_FOUND',
    );
  });

  it('schedules a deletion after the configured delay, refuses a second schedule, and deletes at once with mode=now', async () => {
    const t = setUp();
    const alice = asUser(ALICE, { memberships: [writer()] });
    const s = await t.create(alice);
    const scheduled = await t.service.delete(alice, 'tenant', s.id, 'schedule', undefined);
    expect(scheduled).toMatchObject({
      status: 'scheduled_for_deletion',
      deletion_scheduled_at: '2026-12-31T10:00:00.000Z',
    });
    expect(await code(t.service.delete(alice, 'tenant', s.id, 'schedule', undefined))).toBe('INVALID_STATE');
    expect(t.outbox.eventsOf(SecretDeletionScheduled)).toHaveLength(1);
    expect(await t.service.delete(alice, 'tenant', s.id, 'now', undefined)).toBeNull();
    expect(t.rows).toEqual([]);
    expect(t.outbox.eventsOf(SecretDeleted)).toEqual([expect.objectContaining({ secret_id: s.id })]);
    expect(await code(t.service.delete(alice, 'tenant', s.id, 'now', undefined))).toBe('SECRET_NOT_FOUND');
  });
});
