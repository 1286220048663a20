// Tests generated from the route inventory (the OpenAPI document built from controller metadata): a new
// route that forgets authentication, or an API change that was not reviewed, fails here (AZ-2, API-5).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSystem, type TestSystem } from './support/system.js';
import { clientFor, http } from './support/http.js';

const committed = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/openapi.json');
const SOME_ID = '0b9f7c1e-5d0a-4c57-9d3e-6a1f0e2b4c88';

type Operation = { security?: unknown[] };
type Paths = Record<string, Record<string, Operation>>;

describe('route inventory', () => {
  let sys: TestSystem;
  let paths: Paths;
  let doc: Record<string, unknown>;

  beforeAll(async () => {
    sys = await startSystem();
    doc = (await clientFor(sys.url).get('/docs/json')).body;
    paths = doc.paths as Paths;
  });
  afterAll(() => sys?.stop());

  it('matches the committed docs/openapi.json (regenerate with LOCKWELL_UPDATE_OPENAPI=1 npm test)', () => {
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (process.env.LOCKWELL_UPDATE_OPENAPI === '1') writeFileSync(committed, text);
    expect(text).toBe(readFileSync(committed, 'utf8'));
  });

  it('refuses every non-public operation without credentials, with a forged token and with a malformed header', async () => {
    const checked: string[] = [];
    for (const [route, operations] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(operations)) {
        if (Array.isArray(op.security) && op.security.length === 0) continue; // declared public
        const url = route.replace(/\{[^}]+\}/g, SOME_ID);
        const body = ['post', 'put', 'patch'].includes(method) ? {} : undefined;
        const attempts: Record<string, string>[] = [
          {},
          { authorization: 'Bearer not-a-token' },
          { authorization: 'Basic YTpi' },
          { authorization: 'Bearer lw_forged' },
        ];
        for (const headers of attempts) {
          const res = await http(sys.url, method.toUpperCase(), url, { body, headers });
          expect({ route: `${method} ${route}`, headers, status: res.status }).toEqual({
            route: `${method} ${route}`,
            headers,
            status: 401,
          });
          expect(res.body.error.code).toBe('UNAUTHENTICATED');
        }
        checked.push(`${method} ${route}`);
      }
    }
    expect(checked.length).toBeGreaterThan(40);
  });

  it('declares only the operations meant to be public as public', () => {
    const open = Object.entries(paths).flatMap(([route, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => Array.isArray(op.security) && op.security.length === 0)
        .map(([method]) => `${method.toUpperCase()} ${route}`),
    );
    expect(open.sort()).toEqual(
      [
        'GET /.well-known/jwks.json',
        'GET /docs',
        'GET /docs/json',
        'GET /healthz',
        'GET /metrics',
        'GET /readyz',
        'POST /api/v1/auth/console/login',
        'POST /api/v1/auth/console/refresh',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/refresh',
        // The provider sends the browser back here without a Lockwell credential: its state identifies the flow.
        'GET /api/v1/services/oauth/callback',
      ].sort(),
    );
  });
});
