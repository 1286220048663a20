// `npm run bench [-- --quick] [-- --url http://127.0.0.1:8080]`: the benchmark suite of docs/benchmarks.md.
// Starts `npm start` as shipped in a temporary directory (or measures a running one with --url), seeds data
// through the public API (and 100,000 list rows straight into the vault database), runs every scenario with
// autocannon for a fixed time, measures the single-process limit server in the same run, prints a table and
// writes bench/results/latest.json. Numbers only: nothing here asserts a speed.
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  chmodSync,
  existsSync,
  openSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort, waitForPort, databaseName } from '../infra/local/index.js';
import { cpuFigures, processFigures } from './processes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    url: { type: 'string' },
    runs: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string', default: '50' },
    // Comma-separated scenario keys (read, token, hot, write, list, list-filter, login, limit): run only these.
    only: { type: 'string' },
    // A directory: every Node process of the started system writes a V8 CPU profile there when it stops
    // (node --cpu-prof); `node bench/profile-summary.mjs DIR` says where the time went.
    profile: { type: 'string' },
  },
});
const ONLY = args.only ? new Set(args.only.split(',')) : null;
const wanted = (key) => !ONLY || ONLY.has(key);
const RUNS = Number(args.runs ?? (args.quick ? 1 : 3));
const DURATION_S = Number(args.duration ?? (args.quick ? 5 : 20));
const CONNECTIONS = Number(args.connections);
const LIST_ROWS = 100_000;
const say = (msg) => process.stdout.write(`[bench] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const admin = {
  email: process.env.BENCH_ADMIN_EMAIL ?? 'bench-admin@lockwell.test',
  password: process.env.BENCH_ADMIN_PASSWORD ?? 'bench-admin-password-0123456789',
};

/** Starts `npm start` (infra/start.sh) on free ports in a throwaway data directory. */
async function startSystem() {
  // /var/tmp: as root, PostgreSQL runs as the postgres user, which must reach the data directory.
  const dataDir = mkdtempSync(path.join('/var/tmp', 'lockwell-bench-'));
  chmodSync(dataDir, 0o755);
  const ports = { http: await freePort(), pg: await freePort(), nats: await freePort(), smtp: await freePort() };
  const env = {
    ...process.env,
    LOCKWELL_PORT: String(ports.http),
    LOCKWELL_PG_PORT: String(ports.pg),
    LOCKWELL_NATS_PORT: String(ports.nats),
    LOCKWELL_SMTP_PORT: String(ports.smtp),
    LOCKWELL_DATA_DIR: dataDir,
    LOCKWELL_ADMIN_EMAIL: admin.email,
    LOCKWELL_ADMIN_PASSWORD: admin.password,
    // The only departures from `npm start` as shipped: one load generator is one client address and one user,
    // which the per-address and per-identity budgets (docs/security.md) would answer with 429; and the login
    // throttle counts every attempt before its password is checked, so 50 concurrent logins of one account would
    // mostly be refused rather than measure argon2id.
    LOCKWELL_RATE_LIMIT_PER_IP: '10000000',
    LOCKWELL_RATE_LIMIT_PER_IDENTITY: '10000000',
    LOCKWELL_LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000',
    LOCKWELL_LOGIN_MAX_FAILURES_PER_IP: '1000',
    ...(args.profile
      ? {
          NODE_OPTIONS:
            `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${path.resolve(args.profile)}`.trim(),
        }
      : {}),
  };
  const log = openSync(path.join(dataDir, 'system.log'), 'a');
  say(`starting npm start on 127.0.0.1:${ports.http} (log: ${path.join(dataDir, 'system.log')})`);
  const child = spawn('bash', ['infra/start.sh'], { cwd: root, env, stdio: ['ignore', log, log], detached: true });
  const url = `http://127.0.0.1:${ports.http}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  await Promise.race([
    waitForPort(ports.http, 600_000),
    (async () => {
      while (!exited) await sleep(250);
      throw new Error(`npm start exited; see ${dataDir}/system.log`);
    })(),
  ]);
  const deadline = Date.now() + 300_000;
  while ((await fetch(`${url}/readyz`).catch(() => null))?.status !== 200) {
    if (Date.now() > deadline || exited) throw new Error(`the system was not ready; see ${dataDir}/system.log`);
    await sleep(500);
  }
  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    // The runner first (start.sh execs it): it stops the services before nats-server and PostgreSQL, so they
    // close cleanly (and write their CPU profiles); the whole group only if it does not finish in time.
    const signal = (pid) => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    };
    signal(child.pid);
    if ((await Promise.race([exited.then(() => true), sleep(30_000)])) !== true) {
      signal(-child.pid);
      await Promise.race([exited, sleep(10_000)]);
    }
    if (!process.env.BENCH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, dataDir, pgUrl: (db) => `postgresql://postgres@127.0.0.1:${ports.pg}/${db}`, stop };
}

function attachToRunning(url) {
  const dataDir = path.resolve(root, process.env.LOCKWELL_DATA_DIR ?? '.data');
  const port = process.env.LOCKWELL_PG_PORT ?? '54329';
  return { url, dataDir, pgUrl: (db) => `postgresql://postgres@127.0.0.1:${port}/${db}`, stop: async () => {} };
}

async function api(url, method, route, body, token) {
  const res = await fetch(`${url}/api/v1${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${route} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

const login = async (url) => (await api(url, 'POST', '/auth/login', admin)).access_token;

/** 200 secrets in one tenant (the read scenarios), an API token, and a second tenant with 100,000 rows. */
async function seed(sys) {
  const token = await login(sys.url);
  const tenant = await api(sys.url, 'POST', '/tenants', { name: `Bench ${Date.now()}` }, token);
  const ids = [];
  for (let i = 0; i < 200; i++) {
    const s = await api(
      sys.url,
      'POST',
      '/tenant-secrets',
      {
        tenant_id: tenant.id,
        service_name: `svc-${i % 20}`,
        secret_key_name: `KEY_${i}`,
        secret_value: `bench-value-${i}-${Math.random().toString(36).slice(2)}`,
        environment: 'production',
      },
      token,
    );
    ids.push(s.id);
  }
  const expires = new Date(Date.now() + 3 * 3600_000).toISOString();
  const apiToken = (
    await api(
      sys.url,
      'POST',
      '/tokens/api',
      { name: 'bench', tenant_id: tenant.id, permissions: ['secrets:read'], expires_at: expires },
      token,
    )
  ).token;
  const listTenant = await api(sys.url, 'POST', '/tenants', { name: `Bench list ${Date.now()}` }, token);
  const template = await api(
    sys.url,
    'POST',
    '/tenant-secrets',
    {
      tenant_id: listTenant.id,
      service_name: 'list-svc-0',
      secret_key_name: 'TEMPLATE',
      secret_value: 'bench-template-value',
      environment: 'production',
    },
    token,
  );
  if (wanted('list') || wanted('list-filter')) await bulkList(sys, template.id);
  return { tenant: tenant.id, ids, apiToken, listTenant: listTenant.id };
}

// The list scenario needs 100,000 stored secrets; creating them through the API would take minutes and hit
// the tenant quota (10,000, docs/security.md), so they are cloned from one real row in SQL. A list reads
// metadata only, so the clones need no versions.
async function bulkList(sys, templateId) {
  const client = new pg.Client({ connectionString: sys.pgUrl(databaseName('vault')) });
  await client.connect();
  try {
    const columns = (
      await client.query(
        `select column_name from information_schema.columns where table_name = 'secrets' and table_schema = current_schema() order by ordinal_position`,
      )
    ).rows.map((r) => r.column_name);
    const overrides = {
      id: 'gen_random_uuid()',
      service_name: `'list-svc-' || (g % 100)`,
      secret_key_name: `'KEY_' || g`,
      created_at: `created_at - g * interval '1 second'`,
      updated_at: `created_at - g * interval '1 second'`,
    };
    const select = columns.map((c) => overrides[c] ?? `"${c}"`).join(', ');
    const quoted = columns.map((c) => `"${c}"`).join(', ');
    await client.query(
      `insert into secrets (${quoted}) select ${select} from secrets, generate_series(1, ${LIST_ROWS - 1}) g where id = $1`,
      [templateId],
    );
    await client.query('analyze secrets');
  } finally {
    await client.end();
  }
}

async function startLimitServer(sys) {
  const admin = new pg.Client({ connectionString: sys.pgUrl('postgres') });
  await admin.connect();
  await admin.query('drop database if exists lockwell_bench_limit');
  await admin.query('create database lockwell_bench_limit');
  await admin.end();
  const port = await freePort();
  const idsFile = path.join(os.tmpdir(), `lockwell-limit-ids-${process.pid}.json`);
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'bench/limit-server.mjs'),
      '--database-url',
      sys.pgUrl('lockwell_bench_limit'),
      '--port',
      String(port),
      '--ids-out',
      idsFile,
    ],
    { stdio: 'inherit' },
  );
  await waitForPort(port, 60_000);
  while (!existsSync(idsFile)) await sleep(100);
  const ids = JSON.parse(readFileSync(idsFile, 'utf8'));
  rmSync(idsFile, { force: true });
  return {
    url: `http://127.0.0.1:${port}`,
    ids,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION_S, timeout: 10, ...opts }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

/** How many answers of each non-2xx status the runs got (e.g. { "429": 12 }), to tell throttling from failure. */
function errorStatuses(runs) {
  const out = {};
  for (const r of runs)
    for (const [code, { count }] of Object.entries(r.statuses ?? {}))
      if (!code.startsWith('2')) out[code] = (out[code] ?? 0) + count;
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs one scenario RUNS times (after a short warm-up in full mode); keeps the median of each figure. */
/** CPU ms per request by process; for the limit, the limit server and PostgreSQL (its select runs there). */
function cpuPerRequest(key, before, after, requests) {
  // A PostgreSQL backend that ended during the run takes its CPU time out of the sum: never below zero.
  const per = (k) => Math.max(0, Number(((after[k] - (before[k] ?? 0)) / Math.max(1, requests)).toFixed(3)));
  if (key === 'limit') {
    const out = { limit_server: per('limit_server'), postgres: per('postgres') };
    return { ...out, total: Number((out.limit_server + out.postgres).toFixed(3)) };
  }
  return Object.fromEntries(
    Object.keys(after)
      .filter((k) => k !== 'limit_server')
      .map((k) => [k, per(k)]),
  );
}

/** Where the CPU figures are read: set once the system and the limit server run. */
const cpuScope = { dataDir: '', limitPid: 0 };

async function scenario(key, name, build, during) {
  if (!wanted(key)) return null;
  if (!args.quick) await cannon({ ...(await build()), duration: 2 });
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const sampling = during?.();
    const options = await build();
    const startedUs = Number(process.hrtime.bigint() / 1000n);
    const cpuBefore = cpuFigures(cpuScope.dataDir, cpuScope.limitPid);
    const r = await cannon(options);
    const cpuAfter = cpuFigures(cpuScope.dataDir, cpuScope.limitPid);
    // The profiles' sample times share this monotonic clock: profile-summary.mjs --scenario picks this window.
    if (args.profile)
      appendFileSync(
        path.join(args.profile, 'scenarios.jsonl'),
        `${JSON.stringify({ key, run: i, start_us: startedUs, end_us: Number(process.hrtime.bigint() / 1000n) })}\n`,
      );
    await sampling;
    runs.push({
      rps: r.requests.total / r.duration,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.timeouts + r.non2xx,
      statuses: r.statusCodeStats,
      // CPU ms per completed request: the system's processes (or the limit server alone for the limit), by process.
      cpu: cpuPerRequest(key, cpuBefore, cpuAfter, r.requests.total),
    });
  }
  const figures = {
    name,
    rps: Math.round(median(runs.map((r) => r.rps))),
    p50_ms: median(runs.map((r) => r.p50)),
    p99_ms: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    error_statuses: errorStatuses(runs),
    runs: runs.map((r) => Math.round(r.rps)),
    cpu_ms_per_request: Object.fromEntries(
      Object.keys(runs[0].cpu).map((k) => [k, median(runs.map((r) => r.cpu[k] ?? 0))]),
    ),
  };
  say(
    `${name}: ${figures.rps} req/s, p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms, errors ${figures.errors} ${JSON.stringify(figures.error_statuses)} (runs: ${figures.runs.join(', ')} req/s); CPU ms/request ${JSON.stringify(figures.cpu_ms_per_request)}`,
  );
  return figures;
}

async function main() {
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  const sys = args.url ? attachToRunning(args.url) : await startSystem();
  let limit;
  try {
    say(`system ready at ${sys.url}; seeding`);
    const data = await seed(sys);
    limit = await startLimitServer(sys);
    Object.assign(cpuScope, { dataDir: sys.dataDir, limitPid: limit.pid });
    await sleep(2000);
    const rssIdle = processFigures(sys.dataDir, limit.pid);
    let rssLoad;
    const sampleUnderLoad = async () => {
      await sleep(DURATION_S * 500);
      rssLoad = processFigures(sys.dataDir, limit.pid);
    };
    const bearer = (token) => ({ authorization: `Bearer ${token}` });
    const readOf = (ids) => [{ setupRequest: (req) => ({ ...req, path: `/api/v1/tenant-secrets/${pick(ids)}` }) }];
    let write = 0;
    const scenarios = [];
    scenarios.push(
      await scenario(
        'read',
        'read tenant secret by id, access JWT',
        async () => ({ url: sys.url, headers: bearer(await login(sys.url)), requests: readOf(data.ids) }),
        sampleUnderLoad,
      ),
    );
    scenarios.push(
      await scenario('token', 'read tenant secret by id, API token', async () => ({
        url: sys.url,
        headers: bearer(data.apiToken),
        requests: readOf(data.ids),
      })),
    );
    scenarios.push(
      await scenario('hot', 'read one hot secret, all connections', async () => ({
        url: sys.url,
        headers: bearer(await login(sys.url)),
        requests: readOf([data.ids[0]]),
      })),
    );
    scenarios.push(
      await scenario('write', 'write a new version', async () => ({
        url: sys.url,
        method: 'PUT',
        headers: { ...bearer(await login(sys.url)), 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              path: `/api/v1/tenant-secrets/${data.ids[(write += 1) % data.ids.length]}`,
              body: JSON.stringify({ secret_value: `bench-write-${write}` }),
            }),
          },
        ],
      })),
    );
    scenarios.push(
      await scenario('list', `list first page, ${LIST_ROWS} stored`, async () => ({
        url: `${sys.url}/api/v1/tenant-secrets?tenant_id=${data.listTenant}`,
        headers: bearer(await login(sys.url)),
      })),
    );
    scenarios.push(
      await scenario('list-filter', `list first page, ${LIST_ROWS} stored, service_name filter`, async () => ({
        url: `${sys.url}/api/v1/tenant-secrets?tenant_id=${data.listTenant}&service_name=list-svc-42`,
        headers: bearer(await login(sys.url)),
      })),
    );
    scenarios.push(
      await scenario('login', 'login (argon2id)', async () => ({
        url: `${sys.url}/api/v1/auth/login`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(admin),
      })),
    );
    const limitFigures = await scenario('limit', 'limit: single process, select + decrypt, no auth', async () => ({
      url: limit.url,
      requests: readOf(limit.ids).map((r) => ({
        setupRequest: (req) => ({ ...r.setupRequest(req), path: `/secrets/${pick(limit.ids)}` }),
      })),
    }));
    const ran = scenarios.filter(Boolean);
    const head = wanted('read') ? ran[0] : null;
    const report = {
      generated_at: new Date().toISOString(),
      mode: args.quick ? 'quick' : 'full',
      method: {
        tool: 'autocannon',
        connections: CONNECTIONS,
        duration_s: DURATION_S,
        runs: RUNS,
        statistic: 'median of runs',
      },
      machine: {
        cpus: os.cpus().length,
        cpu_model: os.cpus()[0]?.model,
        memory_gb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        platform: `${os.type()} ${os.release()}`,
        loadavg_at_start: os.loadavg().map((n) => Number(n.toFixed(2))),
      },
      limit_rps: limitFigures?.rps ?? null,
      limit_p99_ms: limitFigures?.p99_ms ?? null,
      headline_fraction: head && limitFigures ? Number((head.rps / limitFigures.rps).toFixed(3)) : null,
      headline_p99_ratio: head && limitFigures ? Number((head.p99_ms / limitFigures.p99_ms).toFixed(2)) : null,
      scenarios: [...ran, limitFigures].filter(Boolean),
      rss_mb: rssLoad ?? rssIdle,
      rss_mb_idle: rssIdle,
    };
    // A partial run (--only, --profile) is for iteration: it prints, but the committed report stays a full one.
    const out = ONLY
      ? path.join(os.tmpdir(), `lockwell-bench-${process.pid}.json`)
      : path.join(root, 'bench/results/latest.json');
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      [
        '',
        '| scenario | req/s | p50 ms | p99 ms | errors | CPU ms/req |',
        '|---|---|---|---|---|---|',
        ...report.scenarios.map(
          (s) => `| ${s.name} | ${s.rps} | ${s.p50_ms} | ${s.p99_ms} | ${s.errors} | ${s.cpu_ms_per_request.total} |`,
        ),
      ].join('\n'),
    );
    console.log(
      `\nheadline: ${(report.headline_fraction * 100).toFixed(1)}% of the limit, p99 ${report.headline_p99_ratio}x the limit's`,
    );
    console.log(
      `RSS idle (MB): ${JSON.stringify(rssIdle)}\nRSS under the headline load (MB): ${JSON.stringify(rssLoad)}`,
    );
    say(`wrote ${path.relative(root, out)}`);
  } finally {
    await limit?.stop();
    await sys.stop();
  }
}

await main();
