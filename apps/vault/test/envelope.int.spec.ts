import type { NatsHandle } from '@lockwell/local-infra';
import { VaultSecretCreate, VaultSecretGet, VaultSecretUpdate } from '@lockwell/contracts';
import { parseMasterKeyRing, unwrapDataKey, wrapDataKey } from '@lockwell/crypto';
import { asUser, FakeClock, membership, startTestNats, testDatabaseUrl, uniqueDatabaseName } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import { DataKeyService, dataKeyAad } from '../src/keys/data-key.service.js';
import { GOLDEN_V1 as G } from './fixtures/golden-v1.js';
import { TEST_START, startVault, type VaultUnderTest } from './factories/vault.js';

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: string }) => e.code,
  );
const ALL = ['secrets:list', 'secrets:read', 'secrets:write', 'secrets:delete'];

// ENC-3 and ENC-6 as stored: rows written by an earlier build still read (the golden fixture, inserted as the
// vault stored it), and a ciphertext or wrapped data key moved to another version, key version or scope in
// the database is refused with an error, never served.
describe('vault envelope in the database (ENC-3, ENC-6)', () => {
  let nats: NatsHandle;
  let vault: VaultUnderTest;
  const reader = asUser(randomUUID(), { memberships: [membership(G.scope.id, ALL)] });

  beforeAll(async () => {
    nats = await startTestNats();
    vault = await startVault({
      databaseUrl: testDatabaseUrl(uniqueDatabaseName('vaultenv')),
      nats,
      masterKey: G.masterKey,
      clock: new FakeClock(TEST_START),
    });
  });
  afterAll(async () => {
    await vault?.stop();
    await nats?.stop();
  });

  it('reads a secret stored by an earlier build (committed golden rows under a fixed master key)', async () => {
    const em = vault.em();
    const at = '2026-11-30T08:00:00Z';
    await em.execute(
      `insert into data_keys (id, scope_type, scope_id, version, wrapped_key, master_key_id, state, encryption_count, created_at) values (?, ?, ?, ?, decode(?, 'hex'), 1, 'active', 2, ?)`,
      [randomUUID(), G.scope.type, G.scope.id, G.dataKeyVersion, G.wrappedKeyHex, at],
    );
    await em.execute(
      `insert into secrets (id, scope_type, tenant_id, owner_id, service_name, secret_key_name, type, environment, current_version, status, activity_at, created_at, updated_at, created_by)
       values (?, 'tenant', ?, null, 'golden', 'fixture', 'generic', 'production', ?, 'active', ?, ?, ?, ?)`,
      [G.secretId, G.scope.id, G.version, at, at, at, reader.principal!.userId],
    );
    await em.execute(
      `insert into secret_versions (secret_id, version, ciphertext, data_key_version, created_at, created_by) values (?, ?, decode(?, 'hex'), ?, ?, ?)`,
      [G.secretId, G.version, G.ciphertextHex, G.dataKeyVersion, at, reader.principal!.userId],
    );
    expect(
      (await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: G.secretId }, reader)).secret_value,
    ).toBe(G.secretValue);
    // New versions go on under the stored data key.
    await vault.rpc.request(
      VaultSecretUpdate,
      { scope: 'tenant', secret_id: G.secretId, secret_value: 'after-golden' },
      reader,
    );
    expect(
      (await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: G.secretId, version: G.version }, reader))
        .secret_value,
    ).toBe(G.secretValue);
    expect(
      (await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: G.secretId }, reader)).secret_value,
    ).toBe('after-golden');
  });

  it("refuses an older version's ciphertext copied over a newer version of the same secret", async () => {
    const tenant = randomUUID();
    const ctx = asUser(randomUUID(), { memberships: [membership(tenant, ALL)] });
    const s = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'tenant', tenant_id: tenant, service_name: 'v', secret_key_name: 'k', secret_value: 'old-value' },
      ctx,
    );
    await vault.rpc.request(VaultSecretUpdate, { scope: 'tenant', secret_id: s.id, secret_value: 'new-value' }, ctx);
    await vault
      .em()
      .execute(
        `update secret_versions set ciphertext = (select ciphertext from secret_versions where secret_id = ? and version = 1) where secret_id = ? and version = 2`,
        [s.id, s.id],
      );
    const err = await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id }, ctx).catch((e) => e);
    expect(err.code).toBe('INTERNAL');
    expect(JSON.stringify(err)).not.toContain('old-value');
  });

  it('refuses a ciphertext whose data-key version was rewritten to another key of the scope that holds the same key', async () => {
    const tenant = randomUUID();
    const ctx = asUser(randomUUID(), { memberships: [membership(tenant, ALL)] });
    const s = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'tenant', tenant_id: tenant, service_name: 'kv', secret_key_name: 'k', secret_value: 'keyed-value' },
      ctx,
    );
    const em = vault.em();
    // A second key version of the scope holding the very same data key, correctly wrapped for version 2:
    // only the key_version field of the value's AAD can tell the two apart.
    const [v1] = await em.execute<{ wrapped_key: Buffer }[]>(
      `select wrapped_key from data_keys where scope_id = ? and version = 1`,
      [tenant],
    );
    const ring = parseMasterKeyRing(G.masterKey, 'LOCKWELL_MASTER_KEY');
    const scope = { type: 'tenant' as const, id: tenant };
    const asVersion2 = wrapDataKey(
      ring,
      unwrapDataKey(ring, v1!.wrapped_key, dataKeyAad(scope, 1)),
      dataKeyAad(scope, 2),
    );
    await em.execute(`update data_keys set state = 'decrypt_only' where scope_id = ?`, [tenant]);
    await em.execute(
      `insert into data_keys (id, scope_type, scope_id, version, wrapped_key, master_key_id, state, encryption_count, created_at) values (?, 'tenant', ?, 2, ?, 1, 'active', 0, now())`,
      [randomUUID(), tenant, asVersion2],
    );
    await em.execute(`update secret_versions set data_key_version = 2 where secret_id = ?`, [s.id]);
    expect(await code(vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id }, ctx))).toBe('INTERNAL');
    await em.execute(`update secret_versions set data_key_version = 1 where secret_id = ?`, [s.id]);
    expect((await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id }, ctx)).secret_value).toBe(
      'keyed-value',
    );
  });

  it("refuses a wrapped data key copied into another tenant's or a user's key row", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const ctx = asUser(randomUUID(), { memberships: [membership(a, ALL), membership(b, ALL)] });
    await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'tenant', tenant_id: a, service_name: 'w', secret_key_name: 'k', secret_value: 'of-a' },
      ctx,
    );
    const sb = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'tenant', tenant_id: b, service_name: 'w', secret_key_name: 'k', secret_value: 'of-b' },
      ctx,
    );
    const personal = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'user', service_name: 'w', secret_key_name: 'k', secret_value: 'mine' },
      ctx,
    );
    const em = vault.em();
    await em.execute(
      `update data_keys set wrapped_key = (select wrapped_key from data_keys where scope_id = ? and version = 1) where scope_id in (?)`,
      [a, [b, ctx.principal!.userId]],
    );
    vault.app.get(DataKeyService).cache.evict();
    expect(await code(vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: sb.id }, ctx))).toBe('INTERNAL');
    expect(await code(vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: personal.id }, ctx))).toBe(
      'INTERNAL',
    );
  });
});
