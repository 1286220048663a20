import type { NatsHandle } from '@lockwell/local-infra';
import {
  VaultSecretCancelDeletion,
  VaultSecretCreate,
  VaultSecretDelete,
  VaultSecretGet,
  VaultSecretUpdate,
  type CallContext,
} from '@lockwell/contracts';
import { asUser, auditRecordsWhere, eventually, FakeClock, membership, startTestNats } from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import { TEST_START, startVault, type VaultUnderTest } from './factories/vault.js';

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: string }) => e.code,
  );

// Authorisation of the secret operations that need more than one permission or a specific one, with what a
// refusal leaves behind: no change of state, and a `denied` audit record on LOCKWELL_AUDIT.
describe('vault authorisation: environment moves, cancelling deletions, denied reads', () => {
  let nats: NatsHandle;
  let vault: VaultUnderTest;
  const tenant = randomUUID();
  const owner = asUser(randomUUID(), {
    memberships: [membership(tenant, ['secrets:list', 'secrets:read', 'secrets:write', 'secrets:delete'], 'owner')],
  });

  beforeAll(async () => {
    nats = await startTestNats();
    vault = await startVault({ nats, clock: new FakeClock(TEST_START) });
  });
  afterAll(async () => {
    await vault?.stop();
    await nats?.stop();
  });

  const create = (environment: string, ctx: CallContext = owner) =>
    vault.rpc.request(
      VaultSecretCreate,
      {
        scope: 'tenant',
        tenant_id: tenant,
        service_name: 'db',
        secret_key_name: `k-${randomUUID()}`,
        environment,
        secret_value: 'v',
      },
      ctx,
    );
  const row = async (id: string) =>
    (
      await vault
        .em()
        .execute<{ environment: string; status: string; current_version: number }[]>(
          `select environment, status, current_version from secrets where id = ?`,
          [id],
        )
    )[0];

  it('refuses to move a secret into an environment the caller may not write, and leaves it where it was', async () => {
    const stagingWriter = asUser(randomUUID(), {
      memberships: [membership(tenant, ['secrets:read@staging', 'secrets:write@staging'])],
    });
    const s = await create('staging', stagingWriter);
    expect(
      await code(
        vault.rpc.request(
          VaultSecretUpdate,
          { scope: 'tenant', secret_id: s.id, environment: 'production' },
          stagingWriter,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await code(
        vault.rpc.request(
          VaultSecretUpdate,
          { scope: 'tenant', secret_id: s.id, environment: 'production', secret_value: 'moved' },
          stagingWriter,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect(await row(s.id)).toEqual({ environment: 'staging', status: 'active', current_version: 1 });
    // Write access in the target alone is not enough either: the secret's own environment needs it too.
    const productionWriter = asUser(randomUUID(), {
      memberships: [membership(tenant, ['secrets:read', 'secrets:write@production'])],
    });
    expect(
      await code(
        vault.rpc.request(
          VaultSecretUpdate,
          { scope: 'tenant', secret_id: s.id, environment: 'production' },
          productionWriter,
        ),
      ),
    ).toBe('FORBIDDEN');
    expect((await row(s.id))!.environment).toBe('staging');
  });

  it('moves a secret for a caller who may write in both environments', async () => {
    const both = asUser(randomUUID(), {
      memberships: [membership(tenant, ['secrets:read', 'secrets:write@staging', 'secrets:write@production'])],
    });
    const s = await create('staging', both);
    await expect(
      vault.rpc.request(VaultSecretUpdate, { scope: 'tenant', secret_id: s.id, environment: 'production' }, both),
    ).resolves.toMatchObject({ environment: 'production' });
  });

  it('lets only holders of secrets:delete cancel a scheduled deletion; a refusal leaves it scheduled', async () => {
    const s = await create('production');
    await vault.rpc.request(VaultSecretDelete, { scope: 'tenant', secret_id: s.id, mode: 'schedule' }, owner);
    const writer = asUser(randomUUID(), {
      memberships: [membership(tenant, ['secrets:list', 'secrets:read', 'secrets:write'])],
    });
    expect(await code(vault.rpc.request(VaultSecretCancelDeletion, { scope: 'tenant', secret_id: s.id }, writer))).toBe(
      'FORBIDDEN',
    );
    expect((await row(s.id))!.status).toBe('scheduled_for_deletion');
    const deleterElsewhere = asUser(randomUUID(), {
      memberships: [membership(tenant, ['secrets:read', 'secrets:delete@staging'])],
    });
    expect(
      await code(vault.rpc.request(VaultSecretCancelDeletion, { scope: 'tenant', secret_id: s.id }, deleterElsewhere)),
    ).toBe('FORBIDDEN');
    expect(
      await code(vault.rpc.request(VaultSecretDelete, { scope: 'tenant', secret_id: s.id, mode: 'schedule' }, writer)),
    ).toBe('FORBIDDEN');
    expect(
      await code(vault.rpc.request(VaultSecretDelete, { scope: 'tenant', secret_id: s.id, mode: 'now' }, writer)),
    ).toBe('FORBIDDEN');
    expect((await row(s.id))!.status).toBe('scheduled_for_deletion');
    await expect(
      vault.rpc.request(VaultSecretCancelDeletion, { scope: 'tenant', secret_id: s.id }, owner),
    ).resolves.toMatchObject({ status: 'active' });
  });

  it('audits a refused read as denied on LOCKWELL_AUDIT, naming the caller and the secret, without a value', async () => {
    const s = await create('production');
    const lister = asUser(randomUUID(), { memberships: [membership(tenant, ['secrets:list'])] });
    expect(await code(vault.rpc.request(VaultSecretGet, { scope: 'tenant', secret_id: s.id }, lister))).toBe(
      'FORBIDDEN',
    );
    const [record, ...more] = await auditRecordsWhere(
      nats,
      (r) => r.data.resource_id === s.id && r.data.outcome === 'denied',
    );
    expect(more).toHaveLength(0);
    expect(record).toMatchObject({
      subject: 'audit.vault.secret.read',
      tenantId: tenant,
      data: {
        action: 'secret.read',
        outcome: 'denied',
        resource_type: 'secret',
        actor: { type: 'user', id: lister.principal!.userId },
        request_id: lister.requestId,
      },
    });
    expect(JSON.stringify(record)).not.toContain('"v"');
  });

  it('audits refused updates and deletions as denied too', async () => {
    const s = await create('production');
    const reader = asUser(randomUUID(), { memberships: [membership(tenant, ['secrets:read'])] });
    expect(
      await code(vault.rpc.request(VaultSecretUpdate, { scope: 'tenant', secret_id: s.id, secret_value: 'x' }, reader)),
    ).toBe('FORBIDDEN');
    expect(
      await code(vault.rpc.request(VaultSecretDelete, { scope: 'tenant', secret_id: s.id, mode: 'now' }, reader)),
    ).toBe('FORBIDDEN');
    const records = await eventually(async () => {
      const found = await auditRecordsWhere(nats, (r) => r.data.resource_id === s.id && r.data.outcome === 'denied');
      return found.length >= 2 ? found : null;
    });
    expect(records.map((r) => r.data.action).sort()).toEqual(['secret.delete', 'secret.update']);
  });
});
