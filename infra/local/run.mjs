// The local development system behind `npm start`: PostgreSQL and nats-server (JetStream) under .data/,
// every service and the gateway as child processes with prefixed, readable logs. Ctrl-C stops them all.
// LOCKWELL_REPLICAS=vault=2,gateway=2 runs several processes of any of them (docs/operations.md "Replicas"):
// service replicas share the database and the NATS queue group, gateway replica i listens on LOCKWELL_PORT + i.
// `node infra/local/run.mjs --stop` (npm run stop) cleans up after a crash.
// `node infra/local/run.mjs --with-postgres -- CMD ARGS…` runs one command against the local PostgreSQL alone
// (npm run backup / restore while the system is stopped), then stops it again.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { SERVICE_NAMES } from '@lockwell/contracts';
import { busEnvFiles } from './bus.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  databaseName,
  killStaleNats,
  parseReplicas,
  startNats,
  startPostgres,
  stopPostgres,
  waitForPort,
} from './index.js';
import { startMailCatcher } from './mail-catcher.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = process.env;
const dataDir = path.resolve(root, env.LOCKWELL_DATA_DIR ?? '.data');
const pgPort = Number(env.LOCKWELL_PG_PORT ?? 54329);
const natsPort = Number(env.LOCKWELL_NATS_PORT ?? 42229);
const gatewayPort = Number(env.LOCKWELL_PORT ?? 8080);
const smtpPort = Number(env.LOCKWELL_SMTP_PORT ?? 42525);
// V8 heap bounds for each service and the gateway (docs/benchmarks.md "What each optimisation gained"): a 1 MB young generation and a
// 128 MB old one keep eight idle processes near 1 GB together; a service's working set is a few tens of MB.
const nodeFlags = (env.LOCKWELL_NODE_FLAGS ?? '--max-semi-space-size=1 --max-old-space-size=128')
  .split(/\s+/)
  .filter(Boolean);
const pidFile = path.join(dataDir, 'run.pids.json');
const replicas = replicasOrExit();
const gatewayPorts = Array.from({ length: replicas.gateway }, (_, i) => gatewayPort + i);
// `vault`, or `vault#1`, `vault#2` when it runs more than once: the log prefix of each process.
const replicaNames = (name) =>
  replicas[name] === 1 ? [name] : Array.from({ length: replicas[name] }, (_, i) => `${name}#${i + 1}`);
const COLORS = [36, 35, 33, 32, 34, 91, 96];
const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const say = (msg) => process.stdout.write(`\x1b[1m[lockwell]\x1b[0m ${msg}\n`);

function replicasOrExit() {
  try {
    return parseReplicas(env.LOCKWELL_REPLICAS, [...SERVICE_NAMES, 'gateway']);
  } catch (err) {
    process.stderr.write(`[lockwell] ${err.message}\n`);
    process.exit(1);
  }
}

// As root, PostgreSQL runs as the 'postgres' user, which cannot enter e.g. /root: use /var/tmp then.
function pgDataDir() {
  const preferred = path.join(dataDir, 'pg');
  if (process.getuid?.() !== 0) return preferred;
  if (spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dataDir]).status === 0) return preferred;
  const alt = path.join('/var/tmp', `lockwell-pg-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);
  say(`PostgreSQL cannot reach ${dataDir} as the postgres user; keeping its cluster in ${alt}`);
  return alt;
}

function masterKeyFile() {
  const file = path.join(dataDir, 'master.key');
  if (!existsSync(file)) {
    writeFileSync(file, `1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    say(`generated a development master key in ${file} (mode 0600)`);
  }
  chmodSync(file, 0o600);
  say(
    '\x1b[33mWARNING: development master key. Production must supply LOCKWELL_MASTER_KEY (or LOCKWELL_MASTER_KEY_FILE).\x1b[0m',
  );
  return file;
}

function prefixer(name, color) {
  const tag = `\x1b[${color}m${name.padEnd(13)}\x1b[0m|`;
  return (line) => {
    let text = line;
    try {
      const rec = JSON.parse(line);
      const { level, time: _time, msg, service: _service, context, pid: _pid, hostname: _hostname, ...rest } = rec;
      const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
      text = `${LEVELS[level] ?? level} ${context ? `[${context}] ` : ''}${msg ?? ''}${extra}`;
    } catch {
      /* not JSON: print as is */
    }
    process.stdout.write(`${tag} ${text}\n`);
  };
}

function savePids(pids) {
  writeFileSync(pidFile, JSON.stringify(pids));
}

async function stopRecorded() {
  if (existsSync(pidFile)) {
    const pids = JSON.parse(readFileSync(pidFile, 'utf8'));
    for (const pid of pids.children ?? []) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
    rmSync(pidFile, { force: true });
  }
  killStaleNats(path.join(dataDir, 'nats'));
  stopPostgres(pgDataDir());
}

async function main() {
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755);
  if (process.argv.includes('--stop')) {
    await stopRecorded();
    say('stopped');
    return;
  }
  if (process.argv.includes('--with-postgres'))
    return withPostgresOnly(process.argv.slice(process.argv.indexOf('--') + 1));
  await stopRecorded(); // leftovers of a crashed run
  const keyFile = env.LOCKWELL_MASTER_KEY ? null : masterKeyFile();

  say(`starting PostgreSQL on 127.0.0.1:${pgPort} and nats-server (JetStream) on 127.0.0.1:${natsPort}`);
  const pg = await startPostgres({ dir: pgDataDir(), port: pgPort, log: say });
  const nats = await startNats({ dir: path.join(dataDir, 'nats'), port: natsPort, log: say });
  // Notifications mail goes to the local catcher unless the caller named a real SMTP server.
  const mailDir = path.join(dataDir, 'mail');
  const mail = env.SMTP_URL ? null : await startMailCatcher({ port: smtpPort, dir: mailDir, log: say });

  const children = [];
  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    say('stopping services, gateway, nats-server and PostgreSQL…');
    await Promise.all(
      children.map(
        (c) =>
          new Promise((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
    await mail?.stop();
    await nats.stop();
    await pg.stop();
    rmSync(pidFile, { force: true });
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  // A bus credential from the caller's shell would shadow the generated ones (values win over files).
  const { LOCKWELL_NATS_SEED: _seed, LOCKWELL_BUS_KEYS: _keys, ...callerEnv } = env;
  const common = {
    ...callerEnv,
    // Local conveniences (open /metrics, http:// loopback URLs) are opted into here; unset means production.
    NODE_ENV: env.NODE_ENV ?? 'development',
    NATS_URL: nats.url,
    LOG_LEVEL: env.LOG_LEVEL ?? 'info',
    ...(keyFile ? { LOCKWELL_MASTER_KEY_FILE: keyFile } : {}),
  };
  // Every process connects with its own key, generated for this run (docs/security.md "The bus").
  const launch = (name, label, cwd, extraEnv, color) => {
    const childEnv = { ...common, ...busEnvFiles(nats.bus, name), ...extraEnv };
    const child = spawn(process.execPath, [...nodeFlags, 'dist/main.js'], {
      cwd,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const print = prefixer(label, color);
    readline.createInterface({ input: child.stdout }).on('line', print);
    readline.createInterface({ input: child.stderr }).on('line', print);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      say(`\x1b[31m${label} exited (${signal ?? code}); stopping everything\x1b[0m`);
      void stopAll(1);
    });
    children.push(child);
    savePids({ children: children.map((c) => c.pid) });
  };
  // Without LOCKWELL_ADMIN_PASSWORD, identity writes the generated one here (mode 0600), never to the log.
  const adminPasswordFile = env.LOCKWELL_GENERATED_ADMIN_PASSWORD_FILE ?? path.join(dataDir, 'admin-password');
  // Connectors builds OAuth redirect URIs from the gateway's public URL (docs/connectors.md).
  const publicUrl = env.LOCKWELL_PUBLIC_URL ?? `http://127.0.0.1:${gatewayPort}`;
  const serviceEnv = (s) => ({
    DATABASE_URL: pg.url(databaseName(s)),
    ...(s === 'identity' ? { LOCKWELL_GENERATED_ADMIN_PASSWORD_FILE: adminPasswordFile } : {}),
    ...(s === 'connectors' ? { LOCKWELL_PUBLIC_URL: publicUrl } : {}),
    ...(s === 'notifications' && mail ? { SMTP_URL: mail.url, LOCKWELL_PUBLIC_URL: publicUrl } : {}),
  });
  // Every service of the one list in packages/contracts/src/services.ts (each replica with the same bus key:
  // the bus knows services, not processes), then the gateway replicas, each on its own port.
  SERVICE_NAMES.forEach((s, i) =>
    replicaNames(s).forEach((label) =>
      launch(s, label, path.join(root, 'apps', s), serviceEnv(s), COLORS[i % COLORS.length]),
    ),
  );
  replicaNames('gateway').forEach((label, i) =>
    launch(
      'gateway',
      label,
      path.join(root, 'apps', 'gateway'),
      { LOCKWELL_PORT: String(gatewayPorts[i]), LOCKWELL_HOST: env.LOCKWELL_HOST ?? '127.0.0.1' },
      COLORS[SERVICE_NAMES.length % COLORS.length],
    ),
  );

  const deadline = Date.now() + 180_000;
  for (const port of gatewayPorts) {
    await waitForPort(port, 120_000);
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
      if (res?.status === 200) break;
      if (Date.now() > deadline) {
        say('\x1b[31mthe system did not become ready within 3 minutes\x1b[0m');
        return stopAll(1);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  say(
    `\x1b[32mready\x1b[0m: console http://127.0.0.1:${gatewayPort}/  API http://127.0.0.1:${gatewayPort}/api/v1  docs http://127.0.0.1:${gatewayPort}/docs  (Ctrl-C stops everything)`,
  );
  if (gatewayPorts.length > 1)
    say(`${gatewayPorts.length} gateway replicas: ${gatewayPorts.map((p) => `http://127.0.0.1:${p}`).join('  ')}`);
  const scaled = Object.entries(replicas).filter(([, n]) => n > 1);
  if (scaled.length) say(`replicas: ${scaled.map(([n, c]) => `${n}×${c}`).join(', ')} (LOCKWELL_REPLICAS)`);
  say(
    mail
      ? `mail: the notifications' email is caught on smtp://127.0.0.1:${smtpPort} and written, one .eml file per message, to ${mailDir}/`
      : `mail: sent through SMTP_URL`,
  );
  if (!env.LOCKWELL_ADMIN_PASSWORD && existsSync(adminPasswordFile))
    say(`the generated bootstrap admin password is in ${adminPasswordFile} (mode 0600)`);
}

async function withPostgresOnly([cmd, ...args]) {
  say(`starting PostgreSQL alone on 127.0.0.1:${pgPort} for this command; it stops again afterwards`);
  const pg = await startPostgres({ dir: pgDataDir(), port: pgPort, log: say });
  const child = spawn(cmd, args, { stdio: 'inherit', env: { ...env, LOCKWELL_PG_PORT: String(pgPort) } });
  const code = await new Promise((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  await pg.stop();
  process.exit(code);
}

main().catch((err) => {
  process.stderr.write(`[lockwell] ${err.message}\n`);
  process.exit(1);
});
