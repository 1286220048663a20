// docker-compose.yml cannot run here (no Docker engine), so this checks what can go wrong in it: every
// container's environment passes its real config schema in production mode, with and without the admin
// variables; each container sees only its own bus credential; and the bus that bus-setup.mjs generates is
// accepted by a real nats-server over TLS; and every service and the gateway can be scaled (`--scale`).
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import type { z } from 'zod';
import { connect, nkeyAuthenticator } from '@nats-io/transport-node';
import { freePort, natsServerBin, waitForPort } from '@lockwell/local-infra';
import { loadConfig } from '@lockwell/service-kit';
import { configSchema as identityConfig } from '../apps/identity/src/config.js';
import { configSchema as gatewayConfig } from '../apps/gateway/src/config.js';
import { serviceDefinitions } from './support/system.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Every service of the one list (packages/contracts/src/services.ts) and the gateway, with its config schema.
const SCHEMAS: Record<string, z.ZodType> = {
  ...Object.fromEntries(Object.entries(await serviceDefinitions()).map(([name, d]) => [name, d.configSchema])),
  gateway: gatewayConfig,
};
type Compose = {
  services: Record<
    string,
    {
      environment?: Record<string, string | number>;
      volumes?: string[];
      command?: string[];
      ports?: string[];
      container_name?: string;
    }
  >;
};

/** Compose's variable substitution: `${VAR}`, `${VAR:-default}`, `${VAR:?message}` (which refuses an unset VAR). */
function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g,
    (_, name: string, op: string | undefined, arg: string) => {
      const v = vars[name];
      if (v !== undefined && v !== '') return v;
      if (op === '?') throw new Error(`${name}: ${arg}`);
      return op === '-' ? arg : '';
    },
  );
}

describe('docker-compose.yml', () => {
  const compose = yaml.load(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as Compose;
  const envOf = (service: string, vars: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(compose.services[service]!.environment ?? {}).map(([k, v]) => [k, substitute(String(v), vars)]),
    );
  const MASTER_KEY = { LOCKWELL_MASTER_KEY: '1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' };

  it('gives every container a configuration its schema accepts in production, with and without the admin variables', () => {
    for (const vars of [
      MASTER_KEY,
      { ...MASTER_KEY, LOCKWELL_ADMIN_EMAIL: 'ops@example.com', LOCKWELL_ADMIN_PASSWORD: 'a long operator passphrase' },
    ]) {
      for (const [service, schema] of Object.entries(SCHEMAS)) {
        const config = loadConfig(schema, envOf(service, vars)) as { NODE_ENV: string; NATS_URL: string };
        expect({ service, env: config.NODE_ENV, url: config.NATS_URL }).toEqual({
          service,
          env: 'production',
          url: 'tls://nats:4222',
        });
      }
      const identity = loadConfig(identityConfig, envOf('identity', vars));
      expect(identity.LOCKWELL_ADMIN_EMAIL).toBe(
        'LOCKWELL_ADMIN_EMAIL' in vars ? 'ops@example.com' : 'admin@lockwell.local',
      );
      expect(identity.LOCKWELL_ADMIN_PASSWORD).toBe(
        'LOCKWELL_ADMIN_PASSWORD' in vars ? 'a long operator passphrase' : undefined,
      );
    }
    expect(() => envOf('vault', {})).toThrow(/LOCKWELL_MASTER_KEY/);
  });

  it("mounts each container's own bus credential only, and every credential in bus-setup alone", () => {
    for (const service of Object.keys(SCHEMAS)) {
      const busVolumes = (compose.services[service]!.volumes ?? []).filter((v) => v.startsWith('bus-'));
      expect({ service, busVolumes }).toEqual({ service, busVolumes: [`bus-${service}:/run/lockwell/bus:ro`] });
      expect(envOf(service, MASTER_KEY).LOCKWELL_NATS_SEED_FILE).toBe(`/run/lockwell/bus/${service}.seed`);
    }
    expect(compose.services.nats!.volumes).toContain('bus-nats:/etc/nats/bus:ro');
    expect(compose.services['bus-setup']!.volumes).toHaveLength(Object.keys(SCHEMAS).length + 1);
  });

  it('runs N replicas of any service and of the gateway with --scale: no fixed names, one host port per gateway replica', () => {
    for (const service of Object.keys(SCHEMAS)) {
      const def = compose.services[service]!;
      expect({ service, container_name: def.container_name }).toEqual({ service, container_name: undefined });
      if (service !== 'gateway') expect({ service, ports: def.ports }).toEqual({ service, ports: undefined });
    }
    // The gateway publishes a range from LOCKWELL_GATEWAY_PORTS, one port for each replica; 8080 unscaled.
    const [gatewayPorts] = compose.services.gateway!.ports!;
    expect(substitute(gatewayPorts!, {})).toBe('127.0.0.1:8080:8080');
    expect(substitute(gatewayPorts!, { LOCKWELL_GATEWAY_PORTS: '8080-8081' })).toBe('127.0.0.1:8080-8081:8080');
  });

  it('generates (bus-setup.mjs) a bus that nats-server accepts over TLS, and regenerates it without changing the keys', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-compose-bus-'));
    const run = () =>
      promisify(execFile)(process.execPath, [path.join(root, 'infra/local/bus-setup.mjs'), dir, '--host', 'localhost']);
    await run();
    const firstKeys = readFileSync(path.join(dir, 'vault', 'bus-keys'), 'utf8');
    await run();
    expect(readFileSync(path.join(dir, 'vault', 'bus-keys'), 'utf8')).toBe(firstKeys);
    const port = await freePort();
    // The container paths, mapped onto this temp directory.
    const conf = readFileSync(path.join(dir, 'nats', 'nats.conf'), 'utf8')
      .replaceAll('/etc/nats/bus/', `${path.join(dir, 'nats')}/`)
      .replace('"0.0.0.0:4222"', `"127.0.0.1:${port}"`)
      .replace('"/data"', JSON.stringify(path.join(dir, 'data')));
    writeFileSync(path.join(dir, 'local.conf'), conf);
    const server = spawn(natsServerBin()!, ['-c', path.join(dir, 'local.conf')], { stdio: 'ignore' });
    try {
      await waitForPort(port);
      const seed = readFileSync(path.join(dir, 'vault', 'vault.seed'), 'utf8').trim();
      const nc = await connect({
        servers: [`127.0.0.1:${port}`],
        reconnect: false,
        tls: { caFile: path.join(dir, 'vault', 'ca.pem') },
        authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
        inboxPrefix: '_INBOX.vault',
      });
      expect(nc.info?.tls_required).toBe(true);
      await nc.close();
      await expect(
        connect({
          servers: [`127.0.0.1:${port}`],
          reconnect: false,
          tls: { caFile: path.join(dir, 'vault', 'ca.pem') },
        }),
      ).rejects.toThrow(/Authorization Violation/);
    } finally {
      server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
