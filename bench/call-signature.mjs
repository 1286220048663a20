// Cost of the bus's authenticity checks per message (AZ-5, authentic events): signing a call with the caller's
// Ed25519 key, and the receiver's verification plus nonce bookkeeping, with a realistic call context.
// Usage: npx node bench/call-signature.mjs [--calls 20000]   (after a build; see bench/README.md)
import { parseArgs } from 'node:util';
import { BUS_IDENTITIES } from '@lockwell/contracts';
import {
  BusKeyring,
  BusSigner,
  eventSignatureHeaders,
  isAuthenticEvent,
  SeenNonces,
  signCall,
  verifyCall,
} from '@lockwell/service-kit';
import { busKeysSpec, createBusKey } from '@lockwell/local-infra/bus';

const { values: args } = parseArgs({ options: { calls: { type: 'string', default: '20000' } } });
const N = Number(args.calls);
const keys = Object.fromEntries(BUS_IDENTITIES.map((id) => [id, createBusKey()]));
const keyring = BusKeyring.parse(busKeysSpec(keys), 'LOCKWELL_BUS_KEYS');
const gateway = BusSigner.fromSeed('gateway', keys.gateway.seed, 'seed');
const tenants = BusSigner.fromSeed('tenants', keys.tenants.seed, 'seed');
const uuid = (c) => `${c.repeat(8)}-${c.repeat(4)}-4${c.repeat(3)}-8${c.repeat(3)}-${c.repeat(12)}`;
const ctx = {
  requestId: uuid('a'),
  principal: {
    kind: 'user',
    userId: uuid('b'),
    tokenId: null,
    sessionId: uuid('c'),
    globalRoles: ['member'],
    globalPermissions: [],
    memberships: Array.from({ length: 5 }, (_, i) => ({
      tenantId: uuid(String(i)),
      role: 'member',
      permissions: ['tenant:read', 'members:read', 'secrets:list', 'secrets:read', 'secrets:write'],
    })),
  },
  ip: '203.0.113.7',
  userAgent: 'bench/1.0',
};
const data = { scope: 'tenant', secret_id: uuid('d') };

const time = (fn) => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / N / 1000;
};
const signed = [];
const sign = time(() => {
  for (let i = 0; i < N; i++) signed.push(signCall(gateway, 'vault.secret.get', ctx, data, Date.now()));
});
const nonces = new SeenNonces();
const verify = time(() => {
  for (const auth of signed) {
    const v = verifyCall(keyring, 'vault.secret.get', ctx, data, auth, Date.now());
    if (typeof v === 'string' || !nonces.firstUse(v.nonce, Date.now())) throw new Error('verification failed');
  }
});
const body = JSON.stringify({
  id: uuid('e'),
  subject: 'evt.tenants.tenant.deleting',
  occurredAt: new Date().toISOString(),
  tenantId: uuid('f'),
  data: { tenant_id: uuid('f') },
});
const headers = [];
const signEvent = time(() => {
  for (let i = 0; i < N; i++) headers.push(eventSignatureHeaders(tenants, 'evt.tenants.tenant.deleting', body));
});
const bytes = new TextEncoder().encode(body);
const verifyEvent = time(() => {
  for (const h of headers)
    if (!isAuthenticEvent(keyring, 'evt.tenants.tenant.deleting', bytes, h))
      throw new Error('event verification failed');
});
const us = (n) => `${n.toFixed(1)} µs`;
process.stdout.write(
  `${N} calls: sign ${us(sign)}, verify + nonce ${us(verify)}; events: sign ${us(signEvent)}, verify ${us(verifyEvent)}\n`,
);
