import type { NatsHandle } from '@lockwell/local-infra';
import { BUS_IDENTITIES, busPermissions, rpcContractFor, type BusIdentity } from '@lockwell/contracts';
import { connectAs, startTestNats } from '@lockwell/testing';
import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { createBusKey } from '@lockwell/local-infra/bus';

// API-6 on a real nats-server with the generated configuration: who may connect, publish and subscribe.
describe('the least-privilege bus (API-6)', () => {
  let nats: NatsHandle;
  const open: NatsConnection[] = [];

  beforeAll(async () => {
    nats = await startTestNats();
  });
  afterAll(async () => {
    for (const nc of open) await nc.close().catch(() => undefined);
    await nats?.stop();
  });

  /** A connection as `identity` that records every permission violation the server reports. */
  async function as(identity: BusIdentity) {
    const nc = await connectAs(nats, identity);
    open.push(nc);
    const violations: string[] = [];
    void (async () => {
      for await (const s of nc.status())
        if (s.type === 'error') violations.push(String((s as { error?: Error }).error?.message));
    })();
    /** Runs `act`, waits for the server's verdict, and returns the violations it caused. */
    const attempt = async (act: () => unknown): Promise<string[]> => {
      const before = violations.length;
      act();
      await nc.flush();
      await new Promise((r) => setTimeout(r, 50));
      return violations.slice(before);
    };
    return {
      publish: (subject: string) => attempt(() => nc.publish(subject, '{}')),
      subscribe: (subject: string, queue?: string) =>
        attempt(() => nc.subscribe(subject, { queue, callback: () => undefined })),
    };
  }

  it('refuses anonymous clients and unknown keys', async () => {
    await expect(connectAs(nats, 'anonymous')).rejects.toThrow(/Authorization Violation/);
    const stranger = createBusKey();
    await expect(
      connect({
        servers: [nats.url],
        reconnect: false,
        authenticator: nkeyAuthenticator(new TextEncoder().encode(stranger.seed)),
      }),
    ).rejects.toThrow(/Authorization Violation/);
  });

  it("lets a service publish its own events but never another service's", async () => {
    const vault = await as('vault');
    expect(await vault.publish('evt.vault.secret.created')).toEqual([]);
    expect(await vault.publish('audit.vault.secret.read')).toEqual([]);
    expect(await vault.publish('evt.tenants.tenant.deleting')).toEqual([
      expect.stringMatching(/Permissions Violation for Publish to "evt.tenants.tenant.deleting"/),
    ]);
    expect(await vault.publish('audit.identity.auth.login')).toHaveLength(1);
    const gateway = await as('gateway');
    expect(await gateway.publish('evt.identity.user.changed')).toHaveLength(1);
  });

  it('lets only declared callers publish requests, and only the owner serve them, in its queue group', async () => {
    const vault = await as('vault');
    expect(await vault.publish('identity.user.update')).toHaveLength(1);
    expect(await vault.publish('identity.auth.login')).toHaveLength(1);
    expect(await vault.subscribe('identity.auth.login', 'identity')).toHaveLength(1);
    expect(await vault.subscribe('vault.secret.get')).toHaveLength(1);
    expect(await vault.subscribe('vault.secret.get', 'vault')).toEqual([]);
    const tenants = await as('tenants');
    expect(await tenants.publish('identity.user.lookup')).toEqual([]);
    expect(await tenants.publish('vault.secret.get')).toHaveLength(1);
    const gateway = await as('gateway');
    expect(await gateway.publish('vault.secret.get')).toEqual([]);
    expect(await gateway.publish('tenants.membership.role-usage')).toHaveLength(1);
  });

  it("keeps every identity out of everyone else's replies and events", async () => {
    const vault = await as('vault');
    expect(await vault.subscribe('_INBOX.gateway.>')).toHaveLength(1);
    expect(await vault.subscribe('_INBOX.>')).toHaveLength(1);
    expect(await vault.subscribe('_INBOX.vault.>')).toEqual([]);
    expect(await vault.subscribe('evt.>')).toHaveLength(1);
    const gateway = await as('gateway');
    expect(await gateway.subscribe('evt.identity.user.changed')).toEqual([]);
    expect(await gateway.subscribe('evt.vault.secret.created')).toHaveLength(1);
  });

  it('grants JetStream only for own streams and consumers: no purge, no delete, no wider filter', async () => {
    const vault = await as('vault');
    expect(await vault.publish('$JS.API.STREAM.PURGE.LOCKWELL_EVENTS')).toHaveLength(1);
    expect(await vault.publish('$JS.API.STREAM.DELETE.LOCKWELL_AUDIT')).toHaveLength(1);
    expect(await vault.publish('$JS.API.STREAM.UPDATE.LOCKWELL_EVENTS')).toHaveLength(1);
    expect(await vault.publish('$JS.API.CONSUMER.CREATE.LOCKWELL_EVENTS.vault-tenant-deleting.evt.>')).toHaveLength(1);
    expect(
      await vault.publish('$JS.API.CONSUMER.CREATE.LOCKWELL_EVENTS.vault-tenant-deleting.evt.tenants.tenant.deleting'),
    ).toEqual([]);
    expect(await vault.publish('$JS.API.CONSUMER.MSG.NEXT.LOCKWELL_EVENTS.tenants-deletion-vault')).toHaveLength(1);
    expect(await vault.publish('$JS.API.CONSUMER.DELETE.LOCKWELL_EVENTS.vault-tenant-deleting')).toHaveLength(1);
    expect(await vault.publish('$JS.ACK.LOCKWELL_EVENTS.tenants-deletion-vault.1.1.1.1.0')).toHaveLength(1);
  });

  it('derives no grant of every subject for anyone', () => {
    for (const id of BUS_IDENTITIES) {
      const { publish, subscribe } = busPermissions(id);
      for (const s of [...publish, ...subscribe])
        expect({ id, grant: s }).not.toEqual({ id, grant: expect.stringMatching(/^>( |$)/) });
      // (The audit service's own request subjects also start with `audit.`; those are calls, not events.)
      const foreignEvents = publish.filter(
        (s) =>
          /^(evt|audit)\./.test(s) &&
          !rpcContractFor(s) &&
          !s.startsWith(`evt.${id}.`) &&
          !s.startsWith(`audit.${id}.`),
      );
      expect({ id, foreignEvents }).toEqual({ id, foreignEvents: [] });
    }
  });
});
