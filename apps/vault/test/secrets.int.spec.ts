import type { NatsHandle } from '@lockwell/local-infra';
import {
  VaultSecretCancelDeletion,
  VaultSecretCreate,
  VaultSecretDelete,
  VaultSecretGet,
  VaultSecretList,
  VaultSecretUpdate,
  VaultUsageList,
  VaultVersionList,
  VaultVersionRollback,
  type CallContext,
} from '@lockwell/contracts';
import { asApiToken, asUser, FakeClock, membership, startTestNats } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import { selfSignedCertificate } from './factories/certificate.js';
import { TEST_START, startVault, type VaultUnderTest } from './factories/vault.js';

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: string }) => e.code,
  );

describe('vault secrets over NATS (both scopes)', () => {
  let nats: NatsHandle;
  let vault: VaultUnderTest;
  const clock = new FakeClock(TEST_START);
  const alice = randomUUID();
  const bob = randomUUID();
  const tenant = randomUUID();
  const otherTenant = randomUUID();
  const owner = asUser(alice, {
    memberships: [membership(tenant, ['secrets:list', 'secrets:read', 'secrets:write', 'secrets:delete'], 'owner')],
  });
  const viewer = asUser(bob, { memberships: [membership(tenant, ['secrets:list', 'secrets:read'], 'viewer')] });
  const stagingOnly = asUser(randomUUID(), {
    memberships: [membership(tenant, ['secrets:read@staging', 'secrets:write@staging'])],
  });
  const stranger = asUser(randomUUID(), {
    memberships: [membership(otherTenant, ['secrets:list', 'secrets:read', 'secrets:write', 'secrets:delete'])],
  });

  beforeAll(async () => {
    nats = await startTestNats();
    vault = await startVault({ nats, clock });
  });
  afterAll(async () => {
    await vault?.stop();
    await nats?.stop();
  });

  const create = (ctx: CallContext, data: Record<string, unknown>) =>
    vault.rpc.request(
      VaultSecretCreate,
      { scope: 'user', service_name: 'hexel', secret_key_name: `k-${randomUUID()}`, ...data } as never,
      ctx,
    );

  it('runs the Hexel flow for a personal secret: create, read, update (new version), read old version, delete', async () => {
    const me = asUser(alice);
    const created = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'user', service_name: 'github', secret_key_name: 'token', secret_value: 'ghp_first' },
      me,
    );
    expect(created).toMatchObject({
      scope: 'user',
      owner_id: alice,
      tenant_id: null,
      type: 'generic',
      environment: 'production',
      version: 1,
      status: 'active',
      secret_value: 'ghp_first',
    });
    const read = await vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: created.id }, me);
    expect(read.secret_value).toBe('ghp_first');
    expect(read.last_accessed_at).toBe(clock.now().toISOString());
    const updated = await vault.rpc.request(
      VaultSecretUpdate,
      { scope: 'user', secret_id: created.id, secret_value: 'ghp_second', if_match: '"1"' },
      me,
    );
    expect(updated).toMatchObject({ version: 2, secret_value: 'ghp_second' });
    expect(
      (await vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: created.id, version: 1 }, me)).secret_value,
    ).toBe('ghp_first');
    expect(
      await code(vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: created.id, version: 9 }, me)),
    ).toBe('VERSION_NOT_FOUND');
    expect(
      await vault.rpc.request(VaultSecretDelete, { scope: 'user', secret_id: created.id, mode: 'now' }, me),
    ).toEqual({ deleted: true, secret: null });
    expect(await code(vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: created.id }, me))).toBe(
      'SECRET_NOT_FOUND',
    );
  });

  it('answers 409 for a duplicate (environment, service_name, secret_key_name) in one scope, not across scopes', async () => {
    const body = { scope: 'user' as const, service_name: 'dup', secret_key_name: 'k', secret_value: 'v1' };
    await vault.rpc.request(VaultSecretCreate, body, asUser(alice));
    expect(await code(vault.rpc.request(VaultSecretCreate, body, asUser(alice)))).toBe('SECRET_ALREADY_EXISTS');
    await expect(vault.rpc.request(VaultSecretCreate, body, asUser(bob))).resolves.toBeDefined();
    await expect(
      vault.rpc.request(VaultSecretCreate, { ...body, environment: 'staging' }, asUser(alice)),
    ).resolves.toBeDefined();
  });

  it('keeps personal secrets to their owner and refuses API tokens there', async () => {
    const s = await create(asUser(alice), { secret_value: 'mine' });
    expect(await code(vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: s.id }, asUser(bob)))).toBe(
      'SECRET_NOT_FOUND',
    );
    expect(await code(vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id }, owner))).toBe(
      'SECRET_NOT_FOUND',
    );
    const token = asApiToken(alice, randomUUID());
    expect(await code(vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: s.id }, token))).toBe('FORBIDDEN');
    const bobs = await vault.rpc.request(VaultSecretList, { scope: 'user', limit: 200 }, asUser(bob));
    expect(bobs.items.map((i) => i.id)).not.toContain(s.id);
  });

  it('authorises tenant secrets by permission, environment and membership', async () => {
    const prod = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'tenant', tenant_id: tenant, service_name: 'db', secret_key_name: 'password', secret_value: 'prod-pw' },
      owner,
    );
    const staging = await vault.rpc.request(
      VaultSecretCreate,
      {
        scope: 'tenant',
        tenant_id: tenant,
        service_name: 'db',
        secret_key_name: 'password',
        environment: 'staging',
        secret_value: 'stg-pw',
      },
      stagingOnly,
    );
    expect(
      (await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: prod.id }, viewer)).secret_value,
    ).toBe('prod-pw');
    expect(
      await code(
        vault.rpc.request(VaultSecretUpdate, { scope: 'tenant', secret_id: prod.id, secret_value: 'x' }, viewer),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await code(
        vault.rpc.request(
          VaultSecretCreate,
          { scope: 'tenant', tenant_id: tenant, service_name: 'v', secret_key_name: 'v', secret_value: 'x' },
          viewer,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(await code(vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: prod.id }, stagingOnly))).toBe(
      'FORBIDDEN',
    );
    expect(
      await code(
        vault.rpc.request(
          VaultSecretCreate,
          { scope: 'tenant', tenant_id: tenant, service_name: 'p', secret_key_name: 'p', secret_value: 'x' },
          stagingOnly,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      (await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: staging.id }, stagingOnly)).secret_value,
    ).toBe('stg-pw');
    expect(await code(vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: prod.id }, stranger))).toBe(
      'SECRET_NOT_FOUND',
    );
    expect(
      await code(vault.rpc.request(VaultSecretDelete, { scope: 'tenant', secret_id: prod.id, mode: 'now' }, stranger)),
    ).toBe('SECRET_NOT_FOUND');
    expect(
      await code(vault.rpc.request(VaultSecretList, { scope: 'tenant', tenant_id: tenant, limit: 50 }, stranger)),
    ).toBe('TENANT_NOT_FOUND');
    expect(
      await code(
        vault.rpc.request(
          VaultSecretCreate,
          { scope: 'tenant', tenant_id: tenant, service_name: 's', secret_key_name: 's', secret_value: 'x' },
          stranger,
        ),
      ),
    ).toBe('TENANT_NOT_FOUND');
    const limited = await vault.rpc.request(
      VaultSecretList,
      { scope: 'tenant', tenant_id: tenant, limit: 200 },
      stagingOnly,
    );
    expect(limited.items.length).toBeGreaterThan(0);
    expect(limited.items.every((i) => i.environment === 'staging')).toBe(true);
    const all = await vault.rpc.request(VaultSecretList, { scope: 'tenant', tenant_id: tenant, limit: 200 }, viewer);
    expect(all.items.map((i) => i.id)).toEqual(expect.arrayContaining([prod.id, staging.id]));
    expect(JSON.stringify(all)).not.toMatch(/prod-pw|stg-pw/);
  });

  it('validates typed secrets and reads them back as data + secret_value', async () => {
    const me = asUser(alice);
    const apiKey = await create(me, { type: 'api_key', data: { header_name: 'X-Api-Key', value: 'ak-123' } });
    expect(apiKey).toMatchObject({
      type: 'api_key',
      secret_value: 'ak-123',
      data: { header_name: 'X-Api-Key', value: 'ak-123' },
    });
    const kv = await create(me, {
      type: 'key_value',
      data: { dotenv: '# comment\nDB_HOST=localhost\nexport DB_PASS="p w#d"\n' },
    });
    expect(kv.data).toEqual({ pairs: { DB_HOST: 'localhost', DB_PASS: 'p w#d' } });
    const back = await vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: kv.id }, me);
    expect(back.data).toEqual({ pairs: { DB_HOST: 'localhost', DB_PASS: 'p w#d' } });
    expect(back.secret_value).toBe('DB_HOST=localhost\nDB_PASS="p w#d"');
    const cc = await create(me, {
      type: 'client_credentials',
      data: { client_id: 'id', client_secret: 'cs', token_url: 'https://idp.example/token', scopes: ['a'] },
    });
    expect(cc.secret_value).toBe('cs');
    expect(await code(create(me, { type: 'api_key', secret_value: 'x' }))).toBe('VALIDATION_FAILED');
    expect(await code(create(me, { type: 'bearer_token', data: { header_name: 'Authorization' } }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      await code(
        create(me, {
          type: 'client_credentials',
          data: { client_id: 'a', client_secret: 'b', token_url: 'not a url' },
        }),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(await code(create(me, { data: { value: 'x' } }))).toBe('VALIDATION_FAILED');
    expect(await code(create(me, { type: 'key_value', data: { dotenv: 'not a pair' } }))).toBe('VALIDATION_FAILED');
  });

  it('takes a certificate expiry from notAfter and refuses a bad PEM or a foreign key', async () => {
    const me = asUser(alice);
    const a = selfSignedCertificate(30);
    const b = selfSignedCertificate(30);
    const cert = await create(me, {
      type: 'certificate',
      data: { certificate: a.certificate, private_key: a.privateKey },
    });
    expect(cert.secret_value).toBe(a.certificate);
    const days = (Date.parse(cert.expires_at!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(28);
    expect(days).toBeLessThan(31);
    const mismatch = await create(me, {
      type: 'certificate',
      data: { certificate: a.certificate, private_key: b.privateKey },
    }).catch((e) => e);
    expect(mismatch.code).toBe('VALIDATION_FAILED');
    expect(mismatch.details[0].field).toBe('data.private_key');
    expect(JSON.stringify(mismatch)).not.toContain('PRIVATE KEY');
    expect(
      await code(
        create(me, {
          type: 'certificate',
          data: { certificate: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----' },
        }),
      ),
    ).toBe('VALIDATION_FAILED');
  });

  it('refuses a stale If-Match with PRECONDITION_FAILED and changes nothing', async () => {
    const me = asUser(alice);
    const s = await create(me, { secret_value: 'v1' });
    await vault.rpc.request(VaultSecretUpdate, { scope: 'user', secret_id: s.id, secret_value: 'v2' }, me);
    expect(
      await code(
        vault.rpc.request(
          VaultSecretUpdate,
          { scope: 'user', secret_id: s.id, secret_value: 'v3', if_match: '"1"' },
          me,
        ),
      ),
    ).toBe('PRECONDITION_FAILED');
    expect(
      await code(
        vault.rpc.request(VaultSecretDelete, { scope: 'user', secret_id: s.id, mode: 'now', if_match: '1' }, me),
      ),
    ).toBe('PRECONDITION_FAILED');
    expect((await vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: s.id }, me)).secret_value).toBe('v2');
  });

  it('lists versions as metadata and rolls back by writing a new version with the old value', async () => {
    const me = asUser(alice);
    const s = await create(me, { secret_value: 'one' });
    await vault.rpc.request(VaultSecretUpdate, { scope: 'user', secret_id: s.id, secret_value: 'two' }, me);
    const versions = await vault.rpc.request(VaultVersionList, { scope: 'user', secret_id: s.id, limit: 50 }, me);
    expect(versions.items.map((v) => [v.version, v.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(JSON.stringify(versions)).not.toMatch(/one|two/);
    const rolled = await vault.rpc.request(VaultVersionRollback, { scope: 'user', secret_id: s.id, version: 1 }, me);
    expect(rolled).toMatchObject({ version: 3, secret_value: 'one' });
    expect((await vault.rpc.request(VaultSecretGet, { scope: 'user', secret_id: s.id }, me)).secret_value).toBe('one');
  });

  it('records where a secret is used: users and API tokens, with counts', async () => {
    const s = await vault.rpc.request(
      VaultSecretCreate,
      { scope: 'tenant', tenant_id: tenant, service_name: 'usage', secret_key_name: 'k', secret_value: 'used' },
      owner,
    );
    const tokenId = randomUUID();
    const token = asApiToken(alice, tokenId, { memberships: [membership(tenant, ['secrets:read'])] });
    await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id }, owner);
    await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id }, token);
    await vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id }, token);
    const usage = await vault.rpc.request(VaultUsageList, { scope: 'tenant', secret_id: s.id, limit: 50 }, viewer);
    expect(usage.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ consumer_type: 'user', consumer_id: alice, access_count: 1 }),
        expect.objectContaining({ consumer_type: 'api_token', consumer_id: tokenId, access_count: 2 }),
      ]),
    );
    expect(
      await code(vault.rpc.request(VaultUsageList, { scope: 'tenant', secret_id: s.id, limit: 50 }, stranger)),
    ).toBe('SECRET_NOT_FOUND');
  });

  it('filters and pages lists with an opaque keyset cursor', async () => {
    const me = asUser(randomUUID());
    for (let i = 0; i < 5; i++) {
      clock.set(new Date(clock.now().getTime() + 1000));
      await create(me, {
        service_name: i % 2 ? 'odd' : 'even',
        secret_key_name: `key-${i}`,
        description: `number ${i}`,
        secret_value: `v${i}`,
      });
    }
    const first = await vault.rpc.request(VaultSecretList, { scope: 'user', limit: 2 }, me);
    expect(first.items.map((i) => i.secret_key_name)).toEqual(['key-4', 'key-3']);
    const second = await vault.rpc.request(
      VaultSecretList,
      { scope: 'user', limit: 2, cursor: first.next_cursor! },
      me,
    );
    expect(second.items.map((i) => i.secret_key_name)).toEqual(['key-2', 'key-1']);
    const third = await vault.rpc.request(
      VaultSecretList,
      { scope: 'user', limit: 2, cursor: second.next_cursor! },
      me,
    );
    expect(third.items.map((i) => i.secret_key_name)).toEqual(['key-0']);
    expect(third.next_cursor).toBeNull();
    expect(
      (await vault.rpc.request(VaultSecretList, { scope: 'user', limit: 50, service_name: 'odd' }, me)).items,
    ).toHaveLength(2);
    expect(
      (await vault.rpc.request(VaultSecretList, { scope: 'user', limit: 50, q: 'ber 3' }, me)).items.map(
        (i) => i.secret_key_name,
      ),
    ).toEqual(['key-3']);
    expect((await vault.rpc.request(VaultSecretList, { scope: 'user', limit: 50, q: '%' }, me)).items).toHaveLength(0);
    expect(await code(vault.rpc.request(VaultSecretList, { scope: 'user', limit: 2, cursor: 'garbage' }, me))).toBe(
      'INVALID_CURSOR',
    );
  });

  it('schedules a deletion and cancels it; another cancel is INVALID_STATE', async () => {
    const me = asUser(alice);
    const s = await create(me, { secret_value: 'sched' });
    const scheduled = await vault.rpc.request(
      VaultSecretDelete,
      { scope: 'user', secret_id: s.id, mode: 'schedule' },
      me,
    );
    expect(scheduled.deleted).toBe(false);
    expect(scheduled.secret).toMatchObject({
      status: 'scheduled_for_deletion',
      deletion_scheduled_at: new Date(clock.now().getTime() + 30 * 86_400_000).toISOString(),
    });
    expect(
      await code(vault.rpc.request(VaultSecretDelete, { scope: 'user', secret_id: s.id, mode: 'schedule' }, me)),
    ).toBe('INVALID_STATE');
    expect(await vault.rpc.request(VaultSecretCancelDeletion, { scope: 'user', secret_id: s.id }, me)).toMatchObject({
      status: 'active',
      deletion_scheduled_at: null,
    });
    expect(await code(vault.rpc.request(VaultSecretCancelDeletion, { scope: 'user', secret_id: s.id }, me))).toBe(
      'INVALID_STATE',
    );
  });
});
