// Hole 1 of issue 15, attacked on a real nats-server with the generated bus: a forged
// `evt.tenants.tenant.deleting` made the vault crypto-shred a victim's secrets, and anyone on the bus could read
// passwords and secret values in RPC traffic. Each attack below must change nothing.
import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { TenantDeleting, type BusIdentity } from '@lockwell/contracts';
import { BusSigner, eventSignatureHeaders, publishSignedEvent } from '@lockwell/service-kit';
import { eventually } from '@lockwell/testing';
import { adminToken, createUser, type CreatedUser } from './support/auth.js';
import { clientFor } from './support/http.js';
import { ADMIN, startSystem, type TestSystem } from './support/system.js';

describe('the bus under attack (API-6, hole 1)', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let owner: CreatedUser;
  let tenantId: string;
  let secretId: string;
  const logs: string[] = [];
  const open: NatsConnection[] = [];

  const deletingEnvelope = (tenant: string, id = randomUUID()) => ({
    id,
    subject: TenantDeleting.subject,
    occurredAt: new Date().toISOString(),
    tenantId: tenant,
    data: { tenant_id: tenant },
  });
  const signer = (identity: BusIdentity) => BusSigner.fromSeed(identity, sys.nats.bus.keys[identity]!.seed, 'test');
  const connect = async (identity: Parameters<TestSystem['connectAs']>[0]) => {
    const nc = await sys.connectAs(identity);
    open.push(nc);
    return nc;
  };
  /** The victim's secret still answers with its value and the tenant is still active. */
  const victimIntact = async () => {
    const read = await api.get(`/api/v1/tenant-secrets/${secretId}`, { token: owner.access_token });
    const tenant = await api.get(`/api/v1/tenants/${tenantId}`, { token: owner.access_token });
    return { secret: read.status, value: read.body.secret_value, tenant: tenant.body.status };
  };
  const INTACT = { secret: 200, value: 'victim-value', tenant: 'active' };

  beforeAll(async () => {
    sys = await startSystem({ logSink: (line) => logs.push(line), logLevel: 'warn' });
    api = clientFor(sys.url);
    owner = await createUser(sys, await adminToken(sys));
    const t = await api.post(
      '/api/v1/tenants',
      { name: `Victim ${randomUUID().slice(0, 8)}` },
      { token: owner.access_token },
    );
    tenantId = t.body.id;
    const s = await eventually(async () => {
      const res = await api.post(
        '/api/v1/tenant-secrets',
        { tenant_id: tenantId, service_name: 'db', secret_key_name: 'password', secret_value: 'victim-value' },
        { token: owner.access_token },
      );
      return res.status === 201 ? res : null;
    });
    secretId = s.body.id;
  });
  afterAll(async () => {
    for (const nc of open) await nc.close().catch(() => undefined);
    await sys?.stop();
  });

  it('refuses an anonymous connection', async () => {
    await expect(sys.connectAs('anonymous')).rejects.toThrow(/Authorization Violation/);
  });

  it("refuses a forged TenantDeleting published with another service's credential; the secret survives", async () => {
    const nc = await connect('notifications');
    const denied: string[] = [];
    void (async () => {
      for await (const s of nc.status())
        if (s.type === 'error') denied.push(String((s as { error?: Error }).error?.message));
    })();
    const envelope = deletingEnvelope(tenantId);
    // Signed with the attacker's own key, and once more unsigned, as core and as JetStream publishes.
    nc.publish(TenantDeleting.subject, JSON.stringify(envelope));
    await publishSignedEvent(
      jetstream(nc),
      signer('notifications'),
      TenantDeleting.subject,
      JSON.stringify(envelope),
      envelope.id,
    ).catch(() => undefined);
    await nc.flush();
    await eventually(async () =>
      denied.some((d) => d.includes(`Permissions Violation for Publish to "${TenantDeleting.subject}"`)),
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(await victimIntact()).toEqual(INTACT);
  });

  it('drops a TenantDeleting that reaches the bus (an owner credential) without the owner signature, and a tampered replay', async () => {
    const nc = await connect('tenants');
    const js = jetstream(nc);
    const unsigned = deletingEnvelope(tenantId);
    await js.publish(TenantDeleting.subject, JSON.stringify(unsigned), { msgID: unsigned.id });
    const otherKey = deletingEnvelope(tenantId);
    await publishSignedEvent(js, signer('vault'), TenantDeleting.subject, JSON.stringify(otherKey), otherKey.id);
    // A genuine signature over another tenant's deletion, replayed with the victim's id swapped in.
    const genuine = deletingEnvelope(randomUUID());
    const headers = eventSignatureHeaders(signer('tenants'), TenantDeleting.subject, JSON.stringify(genuine));
    const tampered = { ...genuine, tenantId, data: { tenant_id: tenantId } };
    await js.publish(TenantDeleting.subject, JSON.stringify(tampered), { msgID: randomUUID(), headers });
    // vault, connectors and notifications each drop all three.
    await eventually(
      async () =>
        logs.filter((l) => l.includes('not signed by its owning service') && l.includes('tenant')).length >= 9,
      10_000,
    );
    expect(await victimIntact()).toEqual(INTACT);
  });

  it("keeps other identities out of requests and replies: a login's password and a secret's value reach nobody else", async () => {
    const snooper = await connect('vault');
    const seen: string[] = [];
    const errors: string[] = [];
    for (const subject of ['identity.auth.login', '_INBOX.gateway.>', '_INBOX.>', 'vault.secret.get']) {
      snooper.subscribe(subject, {
        callback: (err, msg) => {
          if (err) errors.push(subject);
          else seen.push(msg.string());
        },
      });
    }
    await snooper.flush();
    expect((await api.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
    expect((await victimIntact()).value).toBe('victim-value');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((m) => m.includes(ADMIN.password) || m.includes('victim-value'))).toEqual([]);
    // Only its own queue-group subject is allowed (and then only in the vault queue group, which this is not).
    expect(errors.sort()).toEqual(['_INBOX.>', '_INBOX.gateway.>', 'identity.auth.login', 'vault.secret.get'].sort());
  });
});
