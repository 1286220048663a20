// The connectors service under the kit's harness (real PostgreSQL and NATS), with a stand-in for the vault's
// connector-secret calls: who reaches which connection, and what tenant and user deletion remove. The whole
// OAuth flow against a real OpenID provider and the real vault is in e2e/connectors*.e2e.spec.ts.
import {
  ConnectionRevoked,
  ConnectorsConnectionDisconnect,
  ConnectorsConnectionList,
  ConnectorsTenantPurged,
  TenantDeleting,
  UserDeleted,
  VaultConnectorSecretDelete,
  VaultConnectorSecretOpen,
} from '@lockwell/contracts';
import {
  answer,
  asApiToken,
  asUser,
  eventually,
  membership,
  publishEvent,
  standIn,
  startServiceUnderTest,
  type ServiceUnderTest,
} from '@lockwell/testing';
import { randomUUID } from 'node:crypto';
import { service } from '../src/app.module.js';
import { AuthorizationRequestRepository } from '../src/authorization/authorization-request.repository.js';
import { ConnectionRepository, type ConnectionRef } from '../src/connection/connection.repository.js';
import { PLAIN_OAUTH2_QUIRKS } from '../src/presets/preset.js';
import { ServiceRepository } from '../src/service/service.repository.js';

// What the vault stand-in was asked to destroy (owner ids of connection tokens).
const shredded: string[] = [];
const vaultStandIn = standIn(
  'vault',
  answer(VaultConnectorSecretDelete, (d) => {
    if ('owner_id' in d) shredded.push(d.owner_id);
    return { deleted: 1 };
  }),
  answer(VaultConnectorSecretOpen, () => ({ items: [] })),
);

describe('connectors: reach, disconnect and deletion (real NATS and PostgreSQL)', () => {
  let h: ServiceUnderTest;
  let serviceId: string;
  beforeAll(async () => {
    h = await startServiceUnderTest(service, {
      standIns: [vaultStandIn],
      env: { LOCKWELL_CONNECTORS_REFRESH_INTERVAL_MS: '0' },
    });
    serviceId = randomUUID();
    const now = new Date();
    await h.get(ServiceRepository).insert(h.em(), {
      id: serviceId,
      slug: `svc-${serviceId.slice(0, 8)}`,
      name: 'Test provider',
      description: null,
      preset: null,
      preset_params: {},
      protocol: 'oauth2',
      authorization_url: 'https://provider.example/authorize',
      token_url: 'https://provider.example/token',
      revocation_url: null,
      issuer: null,
      jwks_uri: null,
      scopes: ['read'],
      redirect_uri: null,
      extra_auth_params: {},
      quirks: PLAIN_OAUTH2_QUIRKS,
      credentials_set: [],
      created_at: now,
      updated_at: now,
      created_by: null,
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const connections = () => h.get(ConnectionRepository);
  const fail = (p: Promise<unknown>): Promise<any> =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e) => e,
    );
  const exists = async (id: string) =>
    (await h.em().getConnection().execute(`select 1 from connections where id = ?`, [id])).length === 1;

  async function connection(
    userId: string,
    tenantId: string | null,
    status: 'connected' | 'revoked' = 'connected',
  ): Promise<ConnectionRef> {
    const ref = { id: randomUUID(), user_id: userId, tenant_id: tenantId };
    const mirror = {
      scopes: ['read'],
      expires_at: null,
      token_version: 1,
      has_refresh_token: true,
      next_refresh_at: null,
    };
    const em = h.em();
    await connections().insert(em, ref, { id: ref.id, service_id: serviceId, ...mirror }, new Date());
    if (status === 'revoked') await connections().markFailed(em, ref, 'revoked', 'disconnected', new Date());
    return ref;
  }

  async function pendingAuthorization(userId: string, tenantId: string | null): Promise<string> {
    const stateHash = randomUUID();
    const now = new Date();
    await h.get(AuthorizationRequestRepository).insert(h.em(), {
      state_hash: stateHash,
      service_id: serviceId,
      user_id: userId,
      tenant_id: tenantId,
      scopes: ['read'],
      sealed_checks: Buffer.from('sealed'),
      binding_hash: null,
      return_to: null,
      created_at: now,
      expires_at: new Date(now.getTime() + 600_000),
    });
    return stateHash;
  }

  it('finds a connection by id only within the caller’s reach, and writes only at its place', async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    const tenant = randomUUID();
    const personal = await connection(alice, null);
    const shared = await connection(bob, tenant);
    const repo = connections();
    expect((await repo.find(h.em(), { userId: alice, tenantIds: [] }, personal.id))?.id).toBe(personal.id);
    expect(await repo.find(h.em(), { userId: bob, tenantIds: [tenant] }, personal.id)).toBeUndefined();
    expect((await repo.find(h.em(), { userId: alice, tenantIds: [tenant] }, shared.id))?.id).toBe(shared.id);
    expect(await repo.find(h.em(), { userId: alice, tenantIds: [] }, shared.id)).toBeUndefined();
    // A write naming the wrong owner changes nothing.
    await repo.markFailed(h.em(), { ...personal, user_id: bob }, 'refresh_failed', 'invalid_grant', new Date());
    await repo.delete(h.em(), { ...shared, tenant_id: null });
    expect((await repo.reread(h.em(), personal))?.status).toBe('connected');
    expect(await exists(shared.id)).toBe(true);
  });

  it('refuses to disconnect another user’s connection (NOT_FOUND), a member without connections:use (FORBIDDEN), and API tokens on personal ones', async () => {
    const owner = randomUUID();
    const tenant = randomUUID();
    const personal = await connection(owner, null, 'revoked');
    const shared = await connection(owner, tenant, 'revoked');
    const stranger = asUser(randomUUID(), { memberships: [membership(randomUUID(), ['connections:use'])] });
    expect(
      (await fail(h.rpc.request(ConnectorsConnectionDisconnect, { connection_id: personal.id }, stranger))).code,
    ).toBe('CONNECTION_NOT_FOUND');
    expect(
      (await fail(h.rpc.request(ConnectorsConnectionDisconnect, { connection_id: shared.id }, stranger))).code,
    ).toBe('CONNECTION_NOT_FOUND');
    const viewer = asUser(randomUUID(), { memberships: [membership(tenant, ['secrets:read'])] });
    expect((await fail(h.rpc.request(ConnectorsConnectionDisconnect, { connection_id: shared.id }, viewer))).code).toBe(
      'FORBIDDEN',
    );
    expect(
      (
        await fail(
          h.rpc.request(
            ConnectorsConnectionDisconnect,
            { connection_id: personal.id },
            asApiToken(owner, randomUUID()),
          ),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(await exists(personal.id)).toBe(true);
    expect(await exists(shared.id)).toBe(true);
    // A member holding connections:use removes the tenant's revoked connection, audited once.
    const member = randomUUID();
    const removed = await h.rpc.request(
      ConnectorsConnectionDisconnect,
      { connection_id: shared.id },
      asUser(member, { memberships: [membership(tenant, ['connections:use'])] }),
    );
    expect(removed).toMatchObject({ connection_id: shared.id, status: 'removed', provider_revocation: 'not_needed' });
    expect(await exists(shared.id)).toBe(false);
    await h.events.waitFor('audit.connectors.connection.remove', (d) => d.resource_id === shared.id);
    // (The refusals above each left their own authz.denied record, written by the kit.)
    expect(
      h.events.seen.filter(
        (e) => e.subject.startsWith('audit.') && e.data.resource_id === shared.id && e.data.action !== 'authz.denied',
      ),
    ).toHaveLength(1);
  });

  it('on TenantDeleting removes the tenant’s connections and pending authorisations, then confirms the purge', async () => {
    const tenant = randomUUID();
    const other = randomUUID();
    const user = randomUUID();
    const doomed = [await connection(user, tenant), await connection(randomUUID(), tenant)];
    const kept = [await connection(user, other), await connection(user, null)];
    await pendingAuthorization(user, tenant);
    await publishEvent(h.nats, TenantDeleting, { tenant_id: tenant }, tenant);
    await h.events.waitFor(ConnectorsTenantPurged, (d) => d.tenant_id === tenant);
    for (const c of doomed) expect(await exists(c.id)).toBe(false);
    for (const c of kept) expect(await exists(c.id)).toBe(true);
    expect(
      await h.em().getConnection().execute(`select 1 from authorization_requests where tenant_id = ?`, [tenant]),
    ).toHaveLength(0);
    const listed = await h.rpc.request(
      ConnectorsConnectionList,
      { limit: 50 },
      asUser(user, { memberships: [membership(tenant, ['connections:use'])] }),
    );
    expect(listed.items.map((c) => c.id).sort()).toEqual([kept[1]!.id]);
  });

  it('on UserDeleted removes the user’s connections, shreds their tenant tokens in the vault and tells the tenant', async () => {
    const user = randomUUID();
    const tenant = randomUUID();
    const personal = await connection(user, null);
    const shared = await connection(user, tenant);
    const colleague = await connection(randomUUID(), tenant);
    await pendingAuthorization(user, null);
    await publishEvent(h.nats, UserDeleted, { user_id: user }, null);
    await eventually(async () => !(await exists(personal.id)) && !(await exists(shared.id)));
    expect(await exists(colleague.id)).toBe(true);
    expect(shredded).toContain(shared.id);
    expect(shredded).not.toContain(colleague.id);
    await h.events.waitFor(ConnectionRevoked, (d) => d.connection_id === shared.id && d.reason === 'user_deleted');
    expect(
      await h.em().getConnection().execute(`select 1 from authorization_requests where user_id = ?`, [user]),
    ).toHaveLength(0);
  });
});
