import type { NatsHandle } from '@lockwell/local-infra';
import { VaultSecretCreate, VaultSecretGet, VaultSecretList } from '@lockwell/contracts';
import {
  asApiToken,
  asUser,
  auditRecordsWhere,
  eventually,
  FakeClock,
  membership,
  startTestNats,
} from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import { TEST_START, startVault, type VaultUnderTest } from './factories/vault.js';

// Reads of active secrets share one commit (ReadRecorder, docs/vault.md "Reads"): these prove that every read
// still gets its own audit and access record, that "last accessed" is kept to the minute, and that a batch
// whose audit rows cannot be written answers no value at all (AUD-1).
describe('batched reads (group commit of access and audit records)', () => {
  let nats: NatsHandle;
  let vault: VaultUnderTest;
  const clock = new FakeClock(TEST_START);
  const tenant = randomUUID();
  const admin = asUser(randomUUID(), {
    memberships: [membership(tenant, ['secrets:list', 'secrets:read', 'secrets:write'])],
  });

  beforeAll(async () => {
    nats = await startTestNats();
    vault = await startVault({ nats, clock });
  });
  afterAll(async () => {
    await vault?.stop();
    await nats?.stop();
  });

  const create = (value: string) =>
    vault.rpc.request(
      VaultSecretCreate,
      {
        scope: 'tenant',
        tenant_id: tenant,
        service_name: 'batch',
        secret_key_name: `k-${randomUUID()}`,
        secret_value: value,
      },
      admin,
    );
  const read = (id: string, ctx = admin) => vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: id }, ctx);
  const stored = async (id: string) =>
    (await vault.em().execute(`select last_accessed_at, activity_at from secrets where id = ?`, [id]))[0] as {
      last_accessed_at: Date | null;
      activity_at: Date;
    };
  const accessRows = (id: string) =>
    vault
      .em()
      .execute<{ consumer_type: string; consumer_id: string; access_count: string }[]>(
        `select consumer_type, consumer_id, access_count from secret_access where secret_id = ? order by consumer_type`,
        [id],
      );

  it('gives each of many concurrent reads its value, its audit record and its count in the access record', async () => {
    const hot = await create('hot-value');
    const other = await create('other-value');
    const token = asApiToken(admin.principal!.userId, randomUUID(), {
      memberships: [membership(tenant, ['secrets:read'])],
    });
    const reads = [
      ...Array.from({ length: 40 }, () => read(hot.id)),
      ...Array.from({ length: 10 }, () => read(hot.id, token)),
      ...Array.from({ length: 5 }, () => read(other.id)),
    ];
    const values = await Promise.all(reads);
    expect(values.slice(0, 50).every((v) => v.secret_value === 'hot-value')).toBe(true);
    expect(values.slice(50).every((v) => v.secret_value === 'other-value')).toBe(true);
    expect(await accessRows(hot.id)).toEqual([
      { consumer_type: 'api_token', consumer_id: token.principal!.tokenId, access_count: '10' },
      { consumer_type: 'user', consumer_id: admin.principal!.userId, access_count: '40' },
    ]);
    expect(await accessRows(other.id)).toEqual([
      { consumer_type: 'user', consumer_id: admin.principal!.userId, access_count: '5' },
    ]);
    const records = await eventually(async () => {
      const found = await auditRecordsWhere(
        nats,
        (r) => r.data.resource_id === hot.id && r.data.action === 'secret.read',
      );
      if (found.length < 50) throw new Error(`${found.length} of 50 audit records so far`);
      return found;
    });
    expect(records).toHaveLength(50);
    expect(new Set(records.map((r) => r.id)).size).toBe(50);
  });

  it('keeps "last accessed" to the minute: a read within a minute of the last mark leaves the row alone', async () => {
    const s = await create('minute-value');
    await read(s.id);
    const first = await stored(s.id);
    expect(new Date(first.last_accessed_at!).toISOString()).toBe(clock.now().toISOString());
    clock.set(new Date(clock.now().getTime() + 30_000));
    const again = await read(s.id);
    expect(again.last_accessed_at).toBe(clock.now().toISOString());
    expect(new Date((await stored(s.id)).last_accessed_at!).toISOString()).toBe(
      new Date(first.last_accessed_at!).toISOString(),
    );
    clock.set(new Date(clock.now().getTime() + 31_000));
    await read(s.id);
    const later = await stored(s.id);
    expect(new Date(later.last_accessed_at!).toISOString()).toBe(clock.now().toISOString());
    expect(new Date(later.activity_at).toISOString()).toBe(clock.now().toISOString());
    expect((await accessRows(s.id))[0]!.access_count).toBe('3');
  });

  it('answers no value to any read of a batch whose audit records cannot be written (AUD-1)', async () => {
    const s = await create('batch-audited-value');
    const em = vault.em();
    await em.execute(
      `create or replace function refuse_batch_audit() returns trigger language plpgsql as $$ begin if new.subject like 'audit.vault.secret.read%' then raise exception 'audit sink down'; end if; return new; end $$`,
    );
    await em.execute(
      `create trigger refuse_batch_audit before insert on outbox for each row execute function refuse_batch_audit()`,
    );
    try {
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => read(s.id).catch((e: unknown) => e)));
      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
        expect(JSON.stringify(outcome)).not.toContain('batch-audited-value');
      }
      expect(await accessRows(s.id)).toHaveLength(0);
      expect((await stored(s.id)).last_accessed_at).toBeNull();
    } finally {
      await em.execute(`drop trigger refuse_batch_audit on outbox`);
    }
    expect((await read(s.id)).secret_value).toBe('batch-audited-value');
  });

  it('audits concurrent list reads each on its own', async () => {
    const lists = await Promise.all(
      Array.from({ length: 10 }, () =>
        vault.rpc.request(VaultSecretList, { scope: 'tenant', tenant_id: tenant, limit: 2 }, admin),
      ),
    );
    expect(lists.every((l) => l.items.length === 2)).toBe(true);
    const records = await eventually(async () => {
      const found = await auditRecordsWhere(nats, (r) => r.data.action === 'secret.list' && r.tenantId === tenant);
      if (found.length < 10) throw new Error(`${found.length} of 10 list audit records so far`);
      return found;
    });
    expect(records).toHaveLength(10);
  });
});
