import type { NatsHandle } from '@lockwell/local-infra';
import { busEnv, connectAs, startTestNats } from '@lockwell/testing';
import { loadBusCredentials, NatsBus } from '../src/index.js';

// API-6: the bus over TLS with the generated private CA (the docker-compose setup), through the kit's own
// connection code.
describe('the bus over TLS', () => {
  let nats: NatsHandle;

  beforeAll(async () => {
    nats = await startTestNats({ tls: true });
  });
  afterAll(async () => {
    await nats?.stop();
  });

  it('connects a service that trusts the bus CA, encrypted, and lets it set up the streams', async () => {
    const env = busEnv(nats, 'vault');
    expect(env.NATS_URL).toMatch(/^tls:\/\//);
    const bus = await NatsBus.connect(loadBusCredentials('vault', env), 'tls-test');
    try {
      expect(bus.nc.info?.tls_required).toBe(true);
      await bus.ensureStreams();
    } finally {
      await bus.close();
    }
  });

  it('refuses a client that does not trust the bus CA, and anonymous clients over TLS', async () => {
    const { LOCKWELL_NATS_TLS_CA_FILE: _ca, ...withoutCa } = busEnv(nats, 'vault');
    await expect(NatsBus.connect(loadBusCredentials('vault', withoutCa), 'tls-test')).rejects.toThrow(/certificate/i);
    await expect(connectAs(nats, 'anonymous')).rejects.toThrow(/Authorization Violation/);
  });
});
