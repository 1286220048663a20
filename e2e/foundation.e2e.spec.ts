import pg from 'pg';
import { SERVICE_NAMES } from '@lockwell/contracts';
import { startSystem, type TestSystem } from './support/system.js';
import { clientFor } from './support/http.js';

describe('foundation: the gateway in front of six services', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sys = await startSystem();
    api = clientFor(sys.url);
  });
  afterAll(() => sys?.stop());

  it('answers /healthz while the process is up', async () => {
    const res = await api.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports ready with NATS and all six services listed', async () => {
    const res = await api.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
    expect(res.body.nats).toBe(true);
    expect(res.body.services.map((s: { name: string }) => s.name).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(res.body.services.every((s: { ok: boolean; database: boolean }) => s.ok && s.database)).toBe(true);
  });

  it('serves an OpenAPI 3 document generated from the controllers, and Swagger UI', async () => {
    const doc = await api.get('/docs/json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
    const page = await api.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect((await api.get('/docs/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('answers unknown routes with the error envelope and a request id', async () => {
    const res = await api.get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
    expect(res.body.error.request_id).toBe(res.headers.get('x-request-id'));
    expect(res.text).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('keeps a well-formed client X-Request-Id', async () => {
    const res = await api.get('/healthz', { headers: { 'x-request-id': 'client-req-12345678' } });
    expect(res.headers.get('x-request-id')).toBe('client-req-12345678');
  });

  it('rejects malformed JSON with 400 and an oversized body with 413, never 500', async () => {
    const bad = await api.post('/api/v1/nope', undefined, {
      raw: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_REQUEST');
    const big = await api.post('/api/v1/nope', undefined, {
      raw: JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('sends security headers and no-store on API responses', async () => {
    const res = await api.get('/api/v1/nope');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeTruthy();
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('exposes Prometheus metrics by route pattern, never by raw URL (ids stay out of labels)', async () => {
    await api.get('/api/v1/nope/0b9f7c1e-5d0a-4c57-9d3e-6a1f0e2b4c88');
    await api.get('/healthz');
    const res = await api.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).toMatch(/lockwell_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(res.text).toContain('lockwell_http_request_duration_seconds_bucket');
    expect(res.text).toContain('lockwell_gateway_process_cpu_seconds_total');
    expect(res.text).not.toContain('0b9f7c1e-5d0a-4c57-9d3e-6a1f0e2b4c88');
  });

  it('gives every service its own migrated database', async () => {
    for (const service of SERVICE_NAMES) {
      const client = new pg.Client({ connectionString: sys.databaseUrl(service) });
      await client.connect();
      const { rows } = await client.query(`select name from mikro_orm_migrations`);
      await client.end();
      expect(rows.map((r) => r.name)).toContain('Migration20261125000000KitOutbox');
    }
  });

  it('turns a service that stopped answering into 503 on /readyz, quickly', async () => {
    // (Not the audit service: nothing waits for it, so the gateway stays ready without it; audit e2e.)
    await sys.services.connectors.close();
    const started = Date.now();
    const res = await api.get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.services.find((s: { name: string }) => s.name === 'connectors')).toMatchObject({
      ok: false,
      required: true,
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
