// Secret reads, lists and writes through the gateway: HTTP -> auth (cached principal) -> NATS -> vault -> PostgreSQL
// (decrypt, access record and audit row in one transaction) and back. Prints throughput and latency
// percentiles for a few concurrency levels; asserts nothing about speed (numbers go in bench/README.md).
// By default the whole system runs inside this jest process; with BENCH_URL (+ BENCH_ADMIN_EMAIL and
// BENCH_ADMIN_PASSWORD) it measures a running `npm start` instead, one process per service as deployed.
import { startSystem, ADMIN, type TestSystem } from '../e2e/support/system.js';
import { clientFor } from '../e2e/support/http.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8000);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8,32').split(',').map(Number);

interface Result {
  label: string;
  concurrency: number;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

async function measure(label: string, concurrency: number, call: () => Promise<number>): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + DURATION_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const status = await call();
        latencies.push(performance.now() - t0);
        if (status !== 200) errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Number(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2));
  return {
    label,
    concurrency,
    requests: latencies.length,
    errors,
    rps: Math.round(latencies.length / seconds),
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
  };
}

describe('gateway read path', () => {
  let sys: TestSystem | undefined;
  let url: string;
  beforeAll(async () => {
    if (process.env.BENCH_URL) {
      url = process.env.BENCH_URL;
    } else {
      sys = await startSystem();
      url = sys.url;
    }
  });
  afterAll(() => sys?.stop());

  it('measures secret reads and lists', async () => {
    const api = clientFor(url);
    const login = await api.post('/api/v1/auth/login', {
      email: process.env.BENCH_ADMIN_EMAIL ?? ADMIN.email,
      password: process.env.BENCH_ADMIN_PASSWORD ?? ADMIN.password,
    });
    const token: string = login.body.access_token;
    const tenant = await api.post('/api/v1/tenants', { name: `Bench ${Date.now()}` }, { token });
    let secretId = '';
    const secretIds: string[] = [];
    for (let i = 0; i < 200; i++) {
      const created = await api.post(
        '/api/v1/tenant-secrets',
        {
          tenant_id: tenant.body.id,
          service_name: `svc-${i % 20}`,
          secret_key_name: `key-${i}`,
          secret_value: `value-${i}`,
          environment: 'production',
        },
        { token },
      );
      secretId = created.body.id;
      secretIds.push(secretId);
    }
    const results: Result[] = [];
    const headers = { authorization: `Bearer ${token}` };
    for (const c of CONCURRENCY) {
      results.push(
        await measure(
          'GET /tenant-secrets/{id} (value)',
          c,
          async () =>
            await fetch(`${url}/api/v1/tenant-secrets/${secretId}`, { headers }).then(
              async (r) => (await r.arrayBuffer(), r.status),
            ),
        ),
      );
      results.push(
        await measure(
          'GET /tenant-secrets?tenant_id (list, 50)',
          c,
          async () =>
            await fetch(`${url}/api/v1/tenant-secrets?tenant_id=${tenant.body.id}`, { headers }).then(
              async (r) => (await r.arrayBuffer(), r.status),
            ),
        ),
      );
      let write = 0;
      const put = { ...headers, 'content-type': 'application/json' };
      // A new version of one of the 200 secrets per request (each commit waits for its WAL flush when durable).
      results.push(
        await measure('PUT /tenant-secrets/{id} (new version)', c, async () => {
          write += 1;
          const res = await fetch(`${url}/api/v1/tenant-secrets/${secretIds[write % secretIds.length]}`, {
            method: 'PUT',
            headers: put,
            body: JSON.stringify({ secret_value: `bench-${write}` }),
          });
          await res.arrayBuffer();
          return res.status;
        }),
      );
      results.push(
        await measure(
          'GET /healthz (no NATS)',
          c,
          async () => await fetch(`${url}/healthz`).then(async (r) => (await r.arrayBuffer(), r.status)),
        ),
      );
    }
    console.log(
      [
        '| request | concurrency | requests | errors | req/s | p50 ms | p95 ms | p99 ms |',
        '|---|---|---|---|---|---|---|---|',
        ...results.map(
          (r) =>
            `| ${r.label} | ${r.concurrency} | ${r.requests} | ${r.errors} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} |`,
        ),
      ].join('\n'),
    );
    expect(results.every((r) => r.errors === 0)).toBe(true);
  });
});
