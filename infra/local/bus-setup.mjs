// usage: node infra/local/bus-setup.mjs <out-dir> [--host nats] [--owner 1000:1000]
// Prepares the least-privilege bus for docker-compose (docs/security.md "The bus"), in one directory per
// container so that each one sees only its own credential:
//   <out>/nats/       nats.conf, server-cert.pem, server-key.pem   (mounted by the nats container)
//   <out>/<identity>/ <identity>.seed (0600), bus-keys, ca.pem      (mounted by that service or the gateway)
// Keys and certificates already there are kept, so running it again (every `docker compose up`) changes
// nothing but the generated nats.conf.
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { BUS_IDENTITIES } from '@lockwell/contracts';
import { busKeysSpec, createBusKey, natsServerConfig, writePrivateFile } from './bus.js';
import { writeBusTls } from './bus-tls.js';

const args = process.argv.slice(2);
const out = args[0];
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
if (!out || out.startsWith('--')) {
  process.stderr.write('usage: node infra/local/bus-setup.mjs <out-dir> [--host nats] [--owner uid:gid]\n');
  process.exit(2);
}
const host = option('--host', 'nats');
const owner = option('--owner', null)?.split(':').map(Number);

const natsDir = path.join(out, 'nats');
mkdirSync(natsDir, { recursive: true });
if (!existsSync(path.join(natsDir, 'server-key.pem'))) await writeBusTls(natsDir, [host, 'localhost', '127.0.0.1']);

const keys = {};
for (const id of BUS_IDENTITIES) {
  const dir = path.join(out, id);
  mkdirSync(dir, { recursive: true });
  const seedFile = path.join(dir, `${id}.seed`);
  if (existsSync(seedFile)) {
    const seed = readFileSync(seedFile, 'utf8').trim();
    const { fromSeed } = await import('@nats-io/nkeys');
    keys[id] = { seed, publicKey: fromSeed(new TextEncoder().encode(seed)).getPublicKey() };
  } else {
    keys[id] = createBusKey();
    writePrivateFile(seedFile, `${keys[id].seed}\n`);
  }
}
for (const id of BUS_IDENTITIES) {
  const dir = path.join(out, id);
  writeFileSync(path.join(dir, 'bus-keys'), `${busKeysSpec(keys)}\n`, { mode: 0o644 });
  copyFileSync(path.join(natsDir, 'ca.pem'), path.join(dir, 'ca.pem'));
  if (owner)
    for (const f of [dir, path.join(dir, `${id}.seed`), path.join(dir, 'bus-keys'), path.join(dir, 'ca.pem')])
      chownSync(f, owner[0], owner[1]);
}
writePrivateFile(
  path.join(natsDir, 'nats.conf'),
  natsServerConfig({
    host: '0.0.0.0',
    port: 4222,
    storeDir: '/data',
    keys,
    tls: { certFile: '/etc/nats/bus/server-cert.pem', keyFile: '/etc/nats/bus/server-key.pem' },
  }),
);
process.stdout.write(`bus ready in ${out}: ${BUS_IDENTITIES.length} identities, TLS for ${host}\n`);
