// Vault list benchmark: a throwaway PostgreSQL on loopback, the vault's own migration, ~1,000,000 secrets
// of one tenant (metadata only, plus other tenants and personal secrets around them), then keyset pages with
// each list filter through the vault's SecretRepository SQL, printing p50/p95 and the index the plan used.
// Usage: npx node bench/vault-list.mjs [--rows 1000000] [--runs 40]   (see bench/README.md)
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort, startPostgres } from '@lockwell/local-infra';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '40' },
    limit: { type: 'string', default: '50' },
  },
});
const ROWS = Number(args.rows);
const RUNS = Number(args.runs);
const LIMIT = Number(args.limit);
const OTHER_TENANTS = 50;
const ROWS_PER_OTHER_TENANT = 2_000;
const PERSONAL_ROWS = 50_000;
// A hard stop so a pathological plan can never hang the run.
const DEADLINE_MS = 15 * 60_000;

const TENANT = '00000000-0000-4000-8000-00000000beef';
const log = (m) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

/** The vault must be built: the benchmark runs its real migration and repository code from dist. */
function buildVault() {
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
    cwd: path.join(root, 'apps/vault'),
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('building apps/vault failed');
}

/**
 * The few EntityManager methods SecretRepository uses, over a pg client: MikroORM's `?` placeholders become
 * `$n`, and an array parameter expands into a value list (as MikroORM does), so the SQL is exactly the service's.
 */
function emFor(client, sink) {
  return {
    async execute(sql, params = []) {
      const values = [];
      let i = 0;
      const text = sql.replace(/\?/g, () => {
        const p = params[i++];
        if (Array.isArray(p)) return p.map((v) => `$${values.push(v)}`).join(', ');
        return `$${values.push(p instanceof Date ? p.toISOString() : p)}`;
      });
      sink.last = { text, values };
      return (await client.query(text, values)).rows;
    },
  };
}

async function seed(client) {
  const started = Date.now();
  // Same shape the service writes: every NOT NULL column, valid checks, unique names per scope.
  const insert = (scope, owner, count, offset) => `
    insert into secrets (id, scope_type, tenant_id, owner_id, service_name, secret_key_name, type, environment, description, tags,
      current_version, status, expires_at, deletion_scheduled_at, last_accessed_at, activity_at, inactive_since, created_at, updated_at, created_by)
    select gen_random_uuid(), '${scope}', ${scope === 'tenant' ? owner : 'null'}, ${scope === 'user' ? owner : 'null'},
      'service-' || (i % 1000), 'key_' || i,
      (array['generic', 'api_key', 'bearer_token', 'key_value'])[1 + i % 4],
      (array['development', 'staging', 'production', 'qa'])[1 + (i / 7)::int % 4],
      case when i % 5000 = 0 then 'Payments gateway credential ' || i else 'Credential number ' || i || ' of service ' || (i % 1000) end,
      '[]'::jsonb, 1 + i % 3,
      case when i % 50 = 0 then 'scheduled_for_deletion' when i % 50 < 5 then 'inactive' else 'active' end,
      case when i % 10 = 0 then now() + ((i % 365) || ' days')::interval end,
      case when i % 50 = 0 then now() + interval '20 days' end,
      case when i % 3 = 0 then now() - ((i % 90) || ' days')::interval end,
      now() - ((i % 60) || ' days')::interval,
      case when i % 50 between 1 and 4 then now() - interval '2 days' end,
      now() - make_interval(secs => i + ${offset}), now() - make_interval(secs => i + ${offset}),
      '00000000-0000-4000-8000-0000000000aa'
    from generate_series(1, ${count}) as i`;
  await client.query(insert('tenant', `'${TENANT}'::uuid`, ROWS, 0));
  log(`  ${ROWS} rows for tenant ${TENANT} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (let t = 0; t < OTHER_TENANTS; t++) {
    await client.query(
      insert('tenant', `'00000000-0000-4000-8000-${String(t).padStart(12, '0')}'::uuid`, ROWS_PER_OTHER_TENANT, t * 7),
    );
  }
  await client.query(
    insert('user', `('00000000-0000-4000-9000-' || lpad((i % 500)::text, 12, '0'))::uuid`, PERSONAL_ROWS, 3),
  );
  log(
    `  + ${OTHER_TENANTS * ROWS_PER_OTHER_TENANT} rows of ${OTHER_TENANTS} other tenants, ${PERSONAL_ROWS} personal rows`,
  );
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Index names and node types the plan used, and the rows/buffers it touched. */
function summarise(plan) {
  const nodes = [];
  const walk = (n) => {
    nodes.push(n['Index Name'] ? `${n['Node Type']}(${n['Index Name']})` : n['Node Type']);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(plan.Plan);
  return {
    nodes: nodes.join(' > '),
    buffers: (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0),
    ms: plan['Execution Time'],
  };
}

async function main() {
  const deadline = setTimeout(() => {
    console.error(`benchmark exceeded ${DEADLINE_MS / 60_000} minutes; aborting`);
    process.exit(2);
  }, DEADLINE_MS);
  deadline.unref();
  log('building apps/vault (the benchmark uses its migration and repository)');
  buildVault();
  const { migrations } = await import(path.join(root, 'apps/vault/dist/migrations/index.js'));
  const { SecretRepository } = await import(path.join(root, 'apps/vault/dist/secret/secret.repository.js'));

  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-bench-'));
  chmodSync(dir, 0o755); // the postgres system user must reach the cluster directory when we are root
  const server = await startPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), log });
  log(`PostgreSQL (${server.kind}) on 127.0.0.1:${server.port}`);
  try {
    const admin = new pg.Client({ connectionString: server.url('postgres') });
    await admin.connect();
    await admin.query('create database bench_vault');
    await admin.end();
    const client = new pg.Client({ connectionString: server.url('bench_vault') });
    await client.connect();
    const {
      rows: [{ server_version: version }],
    } = await client.query('show server_version');
    log(`server_version ${version}; applying the vault migrations (tables first, indexes after the bulk load)`);

    const statements = [];
    for (const { class: MigrationClass } of migrations) {
      const migration = new MigrationClass(null, null);
      await migration.up();
      statements.push(...migration.getQueries());
    }
    const isIndex = (s) => /^create (unique )?index/i.test(String(s).trim());
    for (const s of statements.filter((s) => !isIndex(s))) await client.query(s);
    log('seeding');
    await seed(client);
    const indexStarted = Date.now();
    for (const s of statements.filter(isIndex)) await client.query(s);
    await client.query('vacuum analyze secrets');
    log(`indexes built and analysed in ${((Date.now() - indexStarted) / 1000).toFixed(1)} s`);
    const {
      rows: [{ n, size }],
    } = await client.query(
      `select count(*)::int as n, pg_size_pretty(pg_total_relation_size('secrets')) as size from secrets`,
    );
    log(`secrets: ${n} rows, ${size} with indexes`);

    const repo = new SecretRepository();
    const captured = {};
    const em = emFor(client, captured);
    const scope = { type: 'tenant', id: TENANT };
    const deep = (
      await client.query(
        `select created_at, id from secrets where tenant_id = $1 order by created_at desc, id desc offset $2 limit 1`,
        [TENANT, Math.floor(ROWS * 0.9)],
      )
    ).rows[0];
    const deepCursor = { at: deep.created_at, id: deep.id };
    const firstPage = await repo.list(em, scope, { environments: null }, undefined, LIMIT + 1);
    const secondCursor = { at: firstPage[LIMIT - 1].created_at, id: firstPage[LIMIT - 1].id };
    const expiringBefore = new Date(Date.now() + 30 * 86_400_000).toISOString();

    const cases = [
      ['no filter, first page', { environments: null }],
      ['no filter, second page (cursor)', { environments: null }, secondCursor],
      ['no filter, deep cursor (90% in)', { environments: null }, deepCursor],
      ['service_name=service-42', { environments: null, service_name: 'service-42' }],
      ['service_name + deep cursor', { environments: null, service_name: 'service-42' }, deepCursor],
      ['environment=production', { environments: ['production'] }],
      ['environment-limited role (staging, qa)', { environments: ['staging', 'qa'] }],
      ['status=inactive (8%)', { environments: null, status: 'inactive' }],
      ['status=scheduled_for_deletion (2%)', { environments: null, status: 'scheduled_for_deletion' }],
      ['type=api_key', { environments: null, type: 'api_key' }],
      ['expiring_before=+30 days (~1%)', { environments: null, expiring_before: expiringBefore }],
      ['q=payments (rare, 0.02%)', { environments: null, q: 'payments' }],
      ['q=key_12345 (~11 rows)', { environments: null, q: 'key_12345' }],
      ['q=credential (matches all)', { environments: null, q: 'credential' }],
      [
        'service_name + environment + status',
        { environments: ['production'], service_name: 'service-42', status: 'active' },
      ],
      ['q=service-42 (1.1%)', { environments: null, q: 'service-42' }],
      // Worst cases: filters that match (almost) nothing in a big tenant, where no early stop is possible.
      ['type=certificate (no match)', { environments: null, type: 'certificate' }],
      [
        'expiring_before=yesterday (no match)',
        { environments: null, expiring_before: new Date(Date.now() - 86_400_000).toISOString() },
      ],
      ['q=nothing-like-this (no match)', { environments: null, q: 'nothing-like-this' }],
      ['service_name=unknown (no match)', { environments: null, service_name: 'unknown' }],
    ];

    console.log(`\n${ROWS} secrets in the tenant; page size ${LIMIT}; ${RUNS} timed runs per query after 3 warm-ups\n`);
    console.log(
      ['query'.padEnd(40), 'rows', 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'bufs'.padStart(6), ' plan'].join(' '),
    );
    const results = [];
    for (const [name, filter, cursor] of cases) {
      for (let i = 0; i < 3; i++) await repo.list(em, scope, filter, cursor, LIMIT + 1);
      const times = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = process.hrtime.bigint();
        rows = (await repo.list(em, scope, filter, cursor, LIMIT + 1)).length;
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      const { text, values } = captured.last;
      const {
        rows: [explain],
      } = await client.query(`explain (analyze, buffers, format json) ${text}`, values);
      const plan = summarise(explain['QUERY PLAN'][0]);
      const p50 = percentile(times, 50).toFixed(2);
      const p95 = percentile(times, 95).toFixed(2);
      results.push({ name, rows, p50, p95, ...plan });
      console.log(
        [
          name.padEnd(40),
          String(rows).padStart(4),
          p50.padStart(8),
          p95.padStart(8),
          String(plan.buffers).padStart(6),
          ` ${plan.nodes}`,
        ].join(' '),
      );
    }
    await client.end();
    console.log('\nMarkdown:\n');
    console.log('| query | rows | p50 ms | p95 ms | buffers | plan |\n|---|---|---|---|---|---|');
    for (const r of results) console.log(`| ${r.name} | ${r.rows} | ${r.p50} | ${r.p95} | ${r.buffers} | ${r.nodes} |`);
  } finally {
    await server.stop();
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
