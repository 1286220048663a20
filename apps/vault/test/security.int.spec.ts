import type { NatsHandle } from '@lockwell/local-infra';
import {
  STREAMS,
  TenantDeleting,
  VaultSecretCreate,
  VaultSecretGet,
  VaultSecretList,
  VaultSecretUpdate,
  VaultMasterKeyRotate,
  VaultTenantPurged,
  type CallContext,
} from '@lockwell/contracts';
import { generateMasterKeySpec } from '@lockwell/crypto';
import { BusSigner, publishSignedEvent } from '@lockwell/service-kit';
import {
  asUser,
  connectAs,
  eventually,
  FakeClock,
  membership,
  startTestNats,
  testDatabaseUrl,
  uniqueDatabaseName,
} from '@lockwell/testing';
import { jetstream } from '@nats-io/jetstream';
import { randomUUID } from 'node:crypto';
import { MasterKeyRotation } from '../src/keys/master-key-rotation.service.js';
import { TEST_START, startVault, type VaultUnderTest } from './factories/vault.js';

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: string }) => e.code,
  );
const ALL = ['secrets:list', 'secrets:read', 'secrets:write', 'secrets:delete'];

describe('vault security properties (ENC-1, ENC-3, ENC-5, AUD-1, KEY-1, KEY-2, crypto-shred)', () => {
  let nats: NatsHandle;
  let vault: VaultUnderTest;
  const databaseUrl = testDatabaseUrl(uniqueDatabaseName('vaultsec'));
  const key1 = generateMasterKeySpec(1);
  const clock = new FakeClock(TEST_START);
  const t1 = randomUUID();
  const t2 = randomUUID();
  const admin = asUser(randomUUID(), {
    memberships: [membership(t1, ALL), membership(t2, ALL)],
    globalPermissions: ['keys:rotate'],
  });
  const canary = `CANARY-${randomUUID()}`;
  const secretIds: { scope: 'user' | 'tenant'; id: string; value: string }[] = [];

  const boot = (masterKey: string) =>
    startVault({ databaseUrl, nats, masterKey, clock, env: { LOCKWELL_DEK_MAX_ENCRYPTIONS: '3' } });

  beforeAll(async () => {
    nats = await startTestNats();
    vault = await boot(key1);
  });
  afterAll(async () => {
    await vault?.stop();
    await nats?.stop();
  });

  const createTenantSecret = async (tenant: string, value: string, ctx: CallContext = admin) => {
    const s = await vault.rpc.request(
      VaultSecretCreate,
      {
        scope: 'tenant',
        tenant_id: tenant,
        service_name: 'svc',
        secret_key_name: `k-${randomUUID()}`,
        secret_value: value,
      },
      ctx,
    );
    secretIds.push({ scope: 'tenant', id: s.id, value });
    return s;
  };

  it('stores no plaintext in any text, bytea or jsonb column (ENC-1)', async () => {
    await createTenantSecret(t1, `${canary}-generic`);
    const personal = await vault.rpc.request(
      VaultSecretCreate,
      {
        scope: 'user',
        service_name: 'svc',
        secret_key_name: 'typed',
        type: 'key_value',
        data: { pairs: { TOKEN: `${canary}-kv` } },
      },
      admin,
    );
    secretIds.push({ scope: 'user', id: personal.id, value: `TOKEN=${canary}-kv` });
    await vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: personal.id }, admin);
    const em = vault.em();
    const columns = await em.execute<{ table_name: string; column_name: string; data_type: string }[]>(
      `select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' and data_type in ('text', 'bytea', 'jsonb', 'character varying', 'json')`,
    );
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual(
      expect.arrayContaining(['secret_versions.ciphertext', 'data_keys.wrapped_key', 'outbox.envelope']),
    );
    let scanned = 0;
    for (const c of columns) {
      const rows = await em.execute<{ v: string | null }[]>(
        `select encode(convert_to(${c.data_type === 'bytea' ? `encode("${c.column_name}", 'escape')` : `"${c.column_name}"::text`}, 'UTF8'), 'escape') as v from "${c.table_name}"`,
      );
      for (const r of rows) {
        scanned++;
        expect(r.v ?? '').not.toContain(canary);
      }
    }
    expect(scanned).toBeGreaterThan(10);
  });

  it('fails to decrypt a ciphertext copied into another secret or tenant: an error, never data (ENC-3)', async () => {
    const a = await createTenantSecret(t1, 'value-of-a');
    const b = await createTenantSecret(t2, 'value-of-b');
    const c = await createTenantSecret(t1, 'value-of-c');
    const em = vault.em();
    await em.execute(
      `update secret_versions set ciphertext = (select ciphertext from secret_versions where secret_id = ? and version = 1), data_key_version = (select data_key_version from secret_versions where secret_id = ? and version = 1) where secret_id in (?)`,
      [a.id, a.id, [b.id, c.id]],
    );
    for (const id of [b.id, c.id]) {
      const err = await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: id }, admin).catch((e) => e);
      expect(err.code).toBe('INTERNAL');
      expect(JSON.stringify(err)).not.toContain('value-of-a');
    }
    expect((await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: a.id }, admin)).secret_value).toBe(
      'value-of-a',
    );
    secretIds.splice(
      secretIds.findIndex((s) => s.id === b.id),
      1,
    );
    secretIds.splice(
      secretIds.findIndex((s) => s.id === c.id),
      1,
    );
  });

  it('replaces a data key after its encryption budget and still decrypts older versions (ENC-5, KEY-1)', async () => {
    const tenant = randomUUID();
    const ctx = asUser(admin.principal!.userId, { memberships: [membership(tenant, ALL)] });
    const s = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'tenant', tenant_id: tenant, service_name: 'budget', secret_key_name: 'k', secret_value: 'v1' },
      ctx,
    );
    for (const v of ['v2', 'v3', 'v4', 'v5'])
      await vault.rpc.request(VaultSecretUpdate, { scope: 'tenant', secret_id: s.id, secret_value: v }, ctx);
    const keys = await vault
      .em()
      .execute<{ version: number; state: string }[]>(
        `select version, state from data_keys where scope_id = ? order by version`,
        [tenant],
      );
    expect(keys).toEqual([
      { version: 1, state: 'decrypt_only' },
      { version: 2, state: 'active' },
    ]);
    const used = await vault
      .em()
      .execute<{ version: number; data_key_version: number }[]>(
        `select version, data_key_version from secret_versions where secret_id = ? order by version`,
        [s.id],
      );
    expect(used.map((u) => u.data_key_version)).toEqual([1, 1, 1, 2, 2]);
    for (let v = 1; v <= 5; v++)
      expect(
        (await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id, version: v }, ctx)).secret_value,
      ).toBe(`v${v}`);
  });

  it('replaces a data key after its cryptoperiod and still decrypts what it sealed (KEY-4)', async () => {
    const tenant = randomUUID();
    const ctx = asUser(admin.principal!.userId, { memberships: [membership(tenant, ALL)] });
    const s = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'tenant', tenant_id: tenant, service_name: 'period', secret_key_name: 'k', secret_value: 'old' },
      ctx,
    );
    clock.advanceDays(366);
    try {
      await vault.rpc.request(VaultSecretUpdate, { scope: 'tenant', secret_id: s.id, secret_value: 'new' }, ctx);
    } finally {
      clock.advanceDays(-366);
    }
    const keys = await vault
      .em()
      .execute<{ version: number; state: string }[]>(
        `select version, state from data_keys where scope_id = ? order by version`,
        [tenant],
      );
    expect(keys).toEqual([
      { version: 1, state: 'decrypt_only' },
      { version: 2, state: 'active' },
    ]);
    expect(
      (await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id, version: 1 }, ctx)).secret_value,
    ).toBe('old');
    expect((await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id }, ctx)).secret_value).toBe(
      'new',
    );
  });

  it('keeps a data key for writes until exactly LOCKWELL_DEK_MAX_AGE_DAYS, then replaces it (KEY-4)', async () => {
    const tenant = randomUUID();
    const ctx = asUser(admin.principal!.userId, { memberships: [membership(tenant, ALL)] });
    const s = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'tenant', tenant_id: tenant, service_name: 'age', secret_key_name: 'k', secret_value: 'day-0' },
      ctx,
    );
    const versions = async () =>
      (
        await vault
          .em()
          .execute<{ version: number }[]>(`select version from data_keys where scope_id = ? order by version`, [tenant])
      ).map((k) => k.version);
    // Two writes only: this vault's encryption budget (3) must not be what replaces the key.
    try {
      clock.advanceDays(364);
      await vault.rpc.request(VaultSecretUpdate, { scope: 'tenant', secret_id: s.id, secret_value: 'day-364' }, ctx);
      expect(await versions()).toEqual([1]);
      clock.advanceDays(1);
      await vault.rpc.request(VaultSecretUpdate, { scope: 'tenant', secret_id: s.id, secret_value: 'day-365' }, ctx);
      expect(await versions()).toEqual([1, 2]);
    } finally {
      clock.advanceDays(-365);
    }
  });

  it('refuses a read whose audit record cannot be written, and returns no value (AUD-1)', async () => {
    const s = await createTenantSecret(t1, 'audited-value');
    const em = vault.em();
    await em.execute(
      `create or replace function refuse_audit() returns trigger language plpgsql as $$ begin if new.subject like 'audit.vault.secret.read%' then raise exception 'audit sink down'; end if; return new; end $$`,
    );
    await em.execute(
      `create trigger refuse_audit before insert on outbox for each row execute function refuse_audit()`,
    );
    try {
      const err = await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id }, admin).catch((e) => e);
      expect(err.code).toBe('AUDIT_UNAVAILABLE');
      expect(JSON.stringify(err)).not.toContain('audited-value');
      const access = await em.execute(`select * from secret_access where secret_id = ?`, [s.id]);
      expect(access).toHaveLength(0);
    } finally {
      await em.execute(`drop trigger refuse_audit on outbox`);
    }
    expect((await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id }, admin)).secret_value).toBe(
      'audited-value',
    );
  });

  it('re-wraps every data key under a new master key, resumably, and every secret still reads (KEY-1, KEY-2)', async () => {
    for (let i = 0; i < 3; i++) {
      const ctx = asUser(randomUUID());
      const s = await vault.rpc.request(
        VaultSecretCreate,
        { scope: 'user', service_name: 'rot', secret_key_name: 'k', secret_value: `personal-${i}` },
        ctx,
      );
      secretIds.push({ scope: 'user', id: s.id, value: `personal-${i}`, ctx } as never);
    }
    const before = await vault.em().execute<{ count: string }[]>(`select count(*) as count from data_keys`);
    expect(await code(vault.rpc.request(VaultMasterKeyRotate, {}, asUser(randomUUID())))).toBe('FORBIDDEN');
    await vault.stop();
    const key2 = generateMasterKeySpec(2);
    vault = await boot(`${key1},${key2}`);
    const rotation = vault.app.get(MasterKeyRotation);
    // An interrupted run: one batch of one key, then the process "dies".
    const partial = await rotation.rewrap(
      { requestId: 'cli', principal: null, ip: null, userAgent: null },
      { batchSize: 1, maxBatches: 1 },
    );
    expect(partial).toMatchObject({ active_master_key_id: 2, rewrapped: 1 });
    expect(partial.remaining).toBeGreaterThan(0);
    const rest = await vault.rpc.request(VaultMasterKeyRotate, { batch_size: 2 }, admin);
    expect(rest).toEqual({ active_master_key_id: 2, rewrapped: partial.remaining, remaining: 0 });
    expect(await vault.rpc.request(VaultMasterKeyRotate, {}, admin)).toEqual({
      active_master_key_id: 2,
      rewrapped: 0,
      remaining: 0,
    });
    const after = await vault
      .em()
      .execute<{ count: string; ids: number[] }[]>(
        `select count(*) as count, array_agg(distinct master_key_id) as ids from data_keys`,
      );
    expect(after[0]).toEqual({ count: before[0].count, ids: [2] });
    // Only the new key remains needed: boot with key 2 alone and read everything.
    await vault.stop();
    vault = await boot(key2);
    for (const s of secretIds) {
      const ctx = (s as unknown as { ctx?: CallContext }).ctx ?? admin;
      expect((await vault.rpc.request(VaultSecretGet, { scope: s.scope, secret_id: s.id }, ctx)).secret_value).toBe(
        s.value,
      );
    }
  });

  it('crypto-shreds a tenant on TenantDeleting and confirms with VaultTenantPurged', async () => {
    const tenant = randomUUID();
    const ctx = asUser(randomUUID(), { memberships: [membership(tenant, ALL)] });
    await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'tenant', tenant_id: tenant, service_name: 'gone', secret_key_name: 'k', secret_value: 'doomed' },
      ctx,
    );
    const observer = await connectAs(nats, 'observer');
    const purged: string[] = [];
    observer.subscribe(VaultTenantPurged.subject, {
      callback: (_e, m) => void purged.push((m.json() as { data: { tenant_id: string } }).data.tenant_id),
    });
    await observer.flush();
    // Published as the tenants service would: its bus credential, its signature.
    const envelope = {
      id: randomUUID(),
      subject: TenantDeleting.subject,
      occurredAt: new Date().toISOString(),
      tenantId: tenant,
      data: { tenant_id: tenant },
    };
    const asTenants = await connectAs(nats, 'tenants');
    await publishSignedEvent(
      jetstream(asTenants),
      BusSigner.fromSeed('tenants', nats.bus.keys.tenants!.seed, 'test'),
      TenantDeleting.subject,
      JSON.stringify(envelope),
      envelope.id,
    );
    await asTenants.close();
    await eventually(async () => purged.includes(tenant), 10_000);
    await observer.close();
    const em = vault.em();
    expect(await em.execute(`select 1 from secrets where tenant_id = ?`, [tenant])).toHaveLength(0);
    expect(await em.execute(`select 1 from data_keys where scope_id = ?`, [tenant])).toHaveLength(0);
    expect(
      (await vault.rpc.request(VaultSecretList, { scope: 'tenant', tenant_id: tenant, limit: 50 }, ctx)).items,
    ).toHaveLength(0);
    expect(
      await code(
        vault.rpc.request(
          VaultSecretCreate,
          { scope: 'tenant', tenant_id: tenant, service_name: 'again', secret_key_name: 'k', secret_value: 'x' },
          ctx,
        ),
      ),
    ).toBe('TENANT_NOT_FOUND');
    expect(STREAMS.EVENTS.subjects[0]).toBe('evt.>');
  });
});
