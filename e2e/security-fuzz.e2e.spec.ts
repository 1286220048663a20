// API-1, API-3, AZ-3: every operation of the committed route inventory (docs/openapi.json) gets random path
// parameters (real and random ids, encoded garbage), query strings and headers (content types and encodings,
// conditional and console headers, request ids, garbage credentials), and every POST/PUT route random JSON
// bodies (random objects, arrays, scalars, deep nesting, strings up to 100 KB, near-valid bodies with one field
// replaced), as the admin, a member of the tenant or that member's API token. No answer may be a 5xx; every 4xx
// is the JSON error envelope with a code and a request id; no body shows a stack trace, SQL or a stored secret's
// internals. Then each create route refuses one smuggled ownership/authority field. LOCKWELL_FUZZ_RUNS sets the number of random cases of a run (the
// long suite, `npm run test:long`, runs 10,000; `npm test` a short run, docs/testing.md "The long suite").
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { adminToken, createUser, login, type CreatedUser } from './support/auth.js';
import { http, type HttpResult } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

type Schema = { properties?: Record<string, unknown> };
type Operation = { requestBody?: { content?: { 'application/json'?: { schema?: Schema } } } };
const inventory = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/openapi.json'), 'utf8'),
) as {
  paths: Record<string, Record<string, Operation>>;
};

// Routes that end the caller's session or the admin's ability to log in run last, so they cannot starve
// the others of a working token.
const LAST = ['/api/v1/auth/logout', '/api/v1/auth/keys/rotate', '/api/v1/auth/login'];
const OPERATIONS = Object.entries(inventory.paths)
  .flatMap(([route, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), route, op })))
  .sort((a, b) => LAST.indexOf(a.route) - LAST.indexOf(b.route));
const ROUTES = OPERATIONS.filter((o) => o.method === 'POST' || o.method === 'PUT');

// A route with a body gets eight times the cases of one without; `npm test` runs 40 per body route, 5 per other.
const weight = (method: string) => (method === 'POST' || method === 'PUT' ? 8 : 1);
const TOTAL_WEIGHT = OPERATIONS.reduce((n, o) => n + weight(o.method), 0);
const FUZZ_RUNS = Number(process.env.LOCKWELL_FUZZ_RUNS ?? 5 * TOTAL_WEIGHT);
const runsFor = (method: string) => Math.ceil((FUZZ_RUNS * weight(method)) / TOTAL_WEIGHT);
/** Random cases sent, per operation (printed at the end). */
const sent = new Map<string, number>();
const STACK = /\bat [^\n]*\.(?:js|ts|mjs|cjs):\d+/;
const SQL =
  /\b(?:insert into|delete from|select\s[^"]*\sfrom|update\s+"?\w+"?\s+set)\b|duplicate key value|violates [a-z -]*constraint|relation "[^"]+"|syntax error at or near|invalid input syntax|column "[^"]+"|QueryFailedError|DriverException|pg_catalog/i;
const INTERNAL_KEY =
  /(?:^|_)hash$|ciphertext|wrapped_|^(?:password|iv|auth_tag|nonce|data_key|dek|kek|totp_seed|master_key)$/i;

/** Every object key anywhere in a JSON value. */
function keysOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keysOf(v, out);
    }
  }
  return out;
}

// The OpenAPI document names fields such as `password` and `hash` in its schemas: they describe, they hold nothing.
const DESCRIBES_FIELDS = new Set(['/docs/json']);
// The OAuth callback is where the user's browser lands: it answers a page unless the client asks for JSON only.
const BROWSER_PAGE = new Set(['/api/v1/services/oauth/callback']);

/** The API-1/API-3 property of one response; returns it for chaining. */
function assertSafe(res: HttpResult, what: string, route = ''): HttpResult {
  const where = `${what} -> ${res.status}: ${res.text.slice(0, 300)}`;
  if (res.status >= 500) throw new Error(`5xx for ${where}`);
  if (STACK.test(res.text)) throw new Error(`stack trace in ${where}`);
  if (SQL.test(res.text)) throw new Error(`SQL text in ${where}`);
  const leaked = DESCRIBES_FIELDS.has(route) ? [] : keysOf(res.body).filter((k) => INTERNAL_KEY.test(k));
  if (leaked.length) throw new Error(`internal keys ${leaked.join(',')} in ${where}`);
  const page = BROWSER_PAGE.has(route) && res.headers.get('content-type')?.startsWith('text/html');
  if (res.status >= 400 && !page) {
    const error = (res.body as { error?: { code?: unknown; request_id?: unknown; message?: unknown } })?.error;
    if (!res.headers.get('content-type')?.includes('application/json')) throw new Error(`non-JSON error for ${where}`);
    if (typeof error?.code !== 'string' || !/^[A-Z][A-Z_]+$/.test(error.code))
      throw new Error(`no error code in ${where}`);
    if (typeof error.message !== 'string') throw new Error(`no error message in ${where}`);
    if (typeof error.request_id !== 'string' || error.request_id !== res.headers.get('x-request-id'))
      throw new Error(`no request_id in ${where}`);
  }
  return res;
}

/** fast-check's own report prints whole 100 KB counterexamples; the failure message is what matters. */
function shortReport<T>(run: fc.RunDetails<T>): void {
  if (!run.failed) return;
  const cause = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
  throw new Error(
    `property failed after ${run.numRuns} runs (seed ${run.seed}, path ${run.counterexamplePath}): ${cause.slice(0, 2000)}`,
  );
}

// ---- arbitraries ----
const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uFEFF',
  '\u202Eevil',
  '💥'.repeat(50),
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '${jndi:ldap://x}',
  '../../etc/passwd',
  '%00',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '-1',
  'NaN',
  'null',
  'true',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
  'owner',
  'admin',
);
const hugeString = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('x', 'é', '\u0000', '💥', 'A-', "'"))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)).slice(0, n));
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  nasty,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);
const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 6 }),
  ),
})).value;
/** Deep nesting as JSON text (building it as objects would overflow this worker's stack in JSON.stringify). */
const deepText = fc
  .tuple(fc.integer({ min: 50, max: 5_000 }), fc.boolean())
  .map(([depth, asArray]) =>
    asArray ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

/** A JSON body text for a route: random JSON of any shape, or the route's own fields holding random values. */
function bodyFor(fields: string[], valid: () => Record<string, unknown>): fc.Arbitrary<string> {
  const fieldText = fc.oneof(
    { weight: 4, arbitrary: fc.oneof(scalar, anyJson, hugeString).map((v) => JSON.stringify(v)) },
    deepText,
  );
  const keys = fields.length ? fc.constantFrom(...fields) : fc.string({ maxLength: 12 });
  const member = fc.tuple(keys, fieldText).map(([k, v]) => `${JSON.stringify(k)}:${v}`);
  const ownFields = fc
    .array(member, { maxLength: Math.max(fields.length, 3) })
    .map((members) => `{${members.join(',')}}`);
  // Plausible strings (NUL, control and astral characters, injection text) pass most field checks and go
  // all the way to the services and the databases.
  const plausible = fc
    .tuple(
      keys,
      fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 80 })),
    )
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  // The valid body with one field replaced (a repeated key wins in JSON.parse): it gets past the shape
  // checks of the other fields and reaches the services.
  const withMember = (m: string) => {
    const body = JSON.stringify(valid());
    return `${body.slice(0, -1)}${body.length > 2 ? ',' : ''}${m}}`;
  };
  return fc.oneof(
    anyJson.map((v) => JSON.stringify(v) ?? 'null'),
    ownFields,
    { weight: 2, arbitrary: member.map(withMember) },
    { weight: 4, arbitrary: plausible.map(withMember) },
    deepText,
    hugeString.map((v) => JSON.stringify(v)),
    fc.array(scalar, { maxLength: 20 }).map((v) => JSON.stringify(v)),
    fc.dictionary(fc.string({ maxLength: 30 }), anyJson).map((v) => JSON.stringify(v)),
  );
}

const queryArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.constantFrom('limit', 'cursor', 'version', 'mode', 'tenant_id', 'scope', '__proto__'),
        ),
        fc.oneof(fc.string({ maxLength: 40 }), nasty),
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
  fc.constantFrom(
    '?%',
    '?%zz=1',
    '?a=%E0%A4%A',
    '?&&&=',
    '?a[b][c]=1',
    '?limit=1&limit=2',
    '?constructor[prototype][x]=1',
    `?x=${'y'.repeat(8000)}`,
  ),
);
/** Bodies JSON.stringify cannot produce: malformed JSON, prototype-pollution keys, a lone surrogate escape. */
const rawBody = fc.constantFrom(
  '{',
  '{"a":',
  '[1,]',
  'nul',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '"\\ud800"',
  '1'.repeat(5000),
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
);

/** Header values fetch can send (visible ASCII and spaces). */
const headerText = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });
/** Random request headers; `authorization`, when present, replaces the caller's credential. */
const headersArb: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'content-type': fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/merge-patch+json',
        'application/xml',
        '*/*',
        '',
      ),
      headerText(40),
    ),
    'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown'),
    accept: fc.oneof(fc.constantFrom('text/html', 'application/xml', '*/*', 'text/event-stream'), headerText(40)),
    'accept-encoding': fc.constantFrom('gzip', 'br', 'deflate', '*', 'x-unknown;q=0'),
    'if-match': fc.oneof(fc.constantFrom('"1"', '"0"', '*', 'W/"1"', '"99999999999999999999"', '""'), headerText(30)),
    'if-none-match': fc.constantFrom('*', '"1"', 'W/"x"'),
    'x-request-id': fc.oneof(fc.uuid(), headerText(300)),
    authorization: fc.oneof(
      fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'Bearer lw_', 'Bearer lwrt_x', 'bearer x.y.z'),
      headerText(200).map((t) => `Bearer ${t}`),
    ),
    cookie: fc.oneof(fc.constantFrom('lockwell_session=x', '__Host-lockwell-session=%00'), headerText(200)),
    origin: fc.constantFrom('null', 'https://evil.example', 'http://127.0.0.1'),
    'x-lockwell-console': fc.constantFrom('1', '0', 'yes'),
    'x-forwarded-for': fc.oneof(fc.ipV4(), fc.ipV6(), headerText(40)),
    'x-http-method-override': fc.constantFrom('DELETE', 'PUT', 'GET'),
    // Past Node's 16 KB header limit the HTTP parser refuses the request before any route runs.
    'x-padding': fc.integer({ min: 1, max: 40_000 }).map((n) => 'p'.repeat(n)),
  },
  { requiredKeys: [] },
);

describe('security: random and smuggled input (API-1, API-3, AZ-3)', () => {
  let sys: TestSystem;
  let admin: string;
  let target: CreatedUser;
  let victim: CreatedUser;
  let joiner: CreatedUser;
  let leaver: CreatedUser;
  const ids: Record<string, string[]> = {};
  let callers: Record<'admin' | 'member' | 'api token', string>;
  const callerArb = fc.constantFrom<keyof typeof callers>('admin', 'admin', 'member', 'api token');
  let unique = 0;
  const next = () => `${Date.now().toString(36)}-${++unique}`;

  /** A valid body for each route, so near-valid mutations get past the shape and reach the services. */
  // A third-party service needs no provider to exist until someone connects (no discovery for plain OAuth 2.0).
  const serviceBody = (slug: string) => ({
    name: 'Fuzz provider',
    slug,
    protocol: 'oauth2',
    authorization_url: 'https://provider.example.test/authorize',
    token_url: 'https://provider.example.test/token',
    credentials: { client_id: 'fuzz-client', client_secret: 'fuzz-client-secret' },
  });
  const validBodies = (): Record<string, () => Record<string, unknown>> => ({
    '/api/v1/admin/services': () => serviceBody(`fuzz-${next()}`),
    '/api/v1/admin/services/{service_id}': () => ({ description: 'fuzzed' }),
    '/api/v1/admin/services/{service_id}/secrets': () => ({
      secret_key_name: 'client_id',
      secret_value: 'fuzz-client',
    }),
    '/api/v1/services/{service_id}/authorize': () => ({ return_to: '/after' }),
    '/api/v1/services/connections/{connection_id}/token': () => ({}),
    '/api/v1/admin/master-key/rotate': () => ({ batch_size: 10 }),
    '/api/v1/auth/login': () => ({ email: `nobody-${next()}@lockwell.test`, password: 'not-the-password-123' }),
    '/api/v1/auth/console/login': () => ({ email: `nobody-${next()}@lockwell.test`, password: 'not-the-password-123' }),
    '/api/v1/auth/logout': () => ({}),
    '/api/v1/auth/refresh': () => ({ refresh_token: 'not-a-refresh-token' }),
    '/api/v1/roles': () => ({ name: `fuzz-${next()}`, permissions: ['users:read'] }),
    '/api/v1/roles/{role_id}': () => ({ description: 'fuzzed' }),
    '/api/v1/tenant-secrets': () => ({
      tenant_id: ids.tenant_id[0],
      service_name: 'fuzz',
      secret_key_name: next(),
      secret_value: 'v',
    }),
    '/api/v1/tenant-secrets/{secret_id}': () => ({ description: 'fuzzed' }),
    '/api/v1/tenant-secrets/{secret_id}/rollback': () => ({ version: 1 }),
    '/api/v1/tenants': () => ({ name: `Fuzz ${next()}` }),
    '/api/v1/tenants/{tenant_id}': () => ({ description: 'fuzzed' }),
    '/api/v1/tenants/{tenant_id}/members': () => ({ user_id: target.id, role: 'viewer' }),
    '/api/v1/tenants/{tenant_id}/members/{user_id}': () => ({ role: 'viewer' }),
    '/api/v1/tenants/{tenant_id}/webhooks': () => ({ url: 'http://127.0.0.1:9/fuzz', description: 'fuzz' }),
    '/api/v1/notifications/preferences': () => ({
      items: [{ kind: 'secret.expiring', email: true, webhook: true, in_app: true }],
    }),
    '/api/v1/tokens/api': () => ({ name: `fuzz-${next()}`, permissions: ['users:read'] }),
    '/api/v1/user-secrets': () => ({ service_name: 'fuzz', secret_key_name: next(), secret_value: 'v' }),
    '/api/v1/user-secrets/{secret_id}': () => ({ description: 'fuzzed' }),
    '/api/v1/user-secrets/{secret_id}/rollback': () => ({ version: 1 }),
    '/api/v1/users': () => ({
      email: `fuzz-${next()}@lockwell.test`,
      password: 'a-long-enough-passphrase',
      full_name: 'Fuzz',
    }),
    '/api/v1/users/{user_id}': () => ({ full_name: 'Fuzzed Name' }),
    '/api/v1/users/me/password': () => ({
      current_password: 'not-the-current-one',
      new_password: 'a-long-enough-passphrase-2',
    }),
  });

  beforeAll(async () => {
    sys = await startSystem();
    admin = await adminToken(sys);
    target = await createUser(sys, admin);
    victim = await createUser(sys, admin);
    joiner = await createUser(sys, admin);
    leaver = await createUser(sys, admin);
    const post = async (p: string, body: unknown) => {
      const res = await http(sys.url, 'POST', p, { token: admin, body });
      if (res.status !== 201) throw new Error(`setup ${p}: ${res.status} ${res.text}`);
      return res.body.id as string;
    };
    const tenantId = await post('/api/v1/tenants', { name: `Fuzz ${randomUUID().slice(0, 8)}` });
    await post(`/api/v1/tenants/${tenantId}/members`, { user_id: target.id, role: 'member' });
    ids.tenant_id = [tenantId];
    ids.user_id = [target.id];
    ids.role_id = [
      await post('/api/v1/roles', { name: `fuzz-role-${randomUUID().slice(0, 6)}`, permissions: ['users:read'] }),
      '00000000-0000-4000-8000-000000000001',
    ];
    ids['user-secrets'] = [
      await post('/api/v1/user-secrets', { service_name: 'fuzz', secret_key_name: 'seed', secret_value: 'seed-value' }),
    ];
    ids.service_id = [await post('/api/v1/admin/services', serviceBody(`fuzz-${randomUUID().slice(0, 8)}`))];
    // No connection exists: the token route answers 404, which is what the NUL fuzz needs to see (never a 5xx).
    ids.connection_id = [randomUUID()];
    ids['tenant-secrets'] = [
      await post('/api/v1/tenant-secrets', {
        tenant_id: tenantId,
        service_name: 'fuzz',
        secret_key_name: 'seed',
        secret_value: 'seed-value',
      }),
    ];
    // Besides the admin, the cases run as a member of the tenant and as an API token of that member.
    const token = await http(sys.url, 'POST', '/api/v1/tokens/api', {
      token: target.access_token,
      body: { name: 'fuzz', tenant_id: tenantId, permissions: ['secrets:read', 'secrets:list', 'members:read'] },
    });
    expect(token.status).toBe(201);
    callers = { admin, member: target.access_token, 'api token': token.body.token };
  });
  afterAll(async () => {
    await sys?.stop();
    const cases = [...sent.values()].reduce((a, b) => a + b, 0);
    if (cases)
      console.log(
        `fuzz: ${cases} random cases over ${sent.size} operations (LOCKWELL_FUZZ_RUNS=${FUZZ_RUNS}), 0 failures`,
      );
  });

  /** Real ids for a path parameter, by name (secret ids by the collection they live in). */
  const realIds = (route: string, param: string) =>
    (param === 'secret_id' ? ids[route.split('/')[3]] : ids[param]) ?? [];

  // AZ-3 (BOPLA): a valid create body plus one ownership/authority field the contract does not have is a 400.
  // Runs before the fuzz, which rotates signing keys and logs in until throttled.
  describe('create routes refuse smuggled ownership and authority fields (AZ-3)', () => {
    const SMUGGLED = {
      owner_id: randomUUID(),
      tenant_id: randomUUID(),
      role: 'owner',
      created_by: randomUUID(),
      id: randomUUID(),
      scope: 'tenant',
      user_id: randomUUID(),
    };
    // `status`: what the control answers when it is not 201 (an upsert, or starting a flow).
    const creates: { route: string; body: () => Record<string, unknown>; status?: number }[] = [
      {
        route: '/api/v1/users',
        body: () => ({
          email: `b-${randomUUID()}@lockwell.test`,
          password: 'a-long-enough-passphrase',
          full_name: 'B',
        }),
      },
      {
        route: '/api/v1/roles',
        body: () => ({ name: `bopla-${randomUUID().slice(0, 8)}`, permissions: ['users:read'] }),
      },
      { route: '/api/v1/tenants', body: () => ({ name: `T ${randomUUID().slice(0, 8)}` }) },
      {
        route: '/api/v1/user-secrets',
        body: () => ({ service_name: 'b', secret_key_name: randomUUID(), secret_value: 'v' }),
      },
      {
        route: '/api/v1/tenant-secrets',
        body: () => ({
          tenant_id: ids.tenant_id[0],
          service_name: 'b',
          secret_key_name: randomUUID(),
          secret_value: 'v',
        }),
      },
      { route: '/api/v1/tenants/{tenant_id}/members', body: () => ({ user_id: joiner.id, role: 'viewer' }) },
      {
        route: '/api/v1/tokens/api',
        body: () => ({ name: `t-${randomUUID().slice(0, 8)}`, permissions: ['users:read'] }),
      },
      { route: '/api/v1/admin/services', body: () => serviceBody(`b-${randomUUID().slice(0, 8)}`) },
      {
        route: '/api/v1/admin/services/{service_id}/secrets',
        body: () => ({ secret_key_name: 'client_secret', secret_value: 'fuzz-client-secret' }),
        status: 200,
      },
      { route: '/api/v1/services/{service_id}/authorize', body: () => ({}), status: 200 },
      {
        route: '/api/v1/tenants/{tenant_id}/webhooks',
        body: () => ({ url: 'http://127.0.0.1:9/bopla', events: ['secret.deleted'] }),
      },
    ];

    it('covers every create route of the inventory', () => {
      const inventoryCreates = Object.entries(inventory.paths)
        .filter(
          ([route, ops]) =>
            ops.post && !/\/(?:login|logout|refresh|rotate|password|rollback|cancel-deletion|read|token)$/.test(route),
        )
        .map(([route]) => route);
      expect(creates.map((c) => c.route).sort()).toEqual(inventoryCreates.sort());
    });

    for (const { route, body, status } of creates) {
      it(`POST ${route}: a valid body is created, the same body plus a smuggled field is 400 VALIDATION_FAILED`, async () => {
        const url = route.replace('{tenant_id}', ids.tenant_id[0]).replace('{service_id}', ids.service_id[0]);
        const contract = Object.keys(
          inventory.paths[route].post.requestBody?.content?.['application/json']?.schema?.properties ?? {},
        );
        const extras = Object.entries(SMUGGLED).filter(([k]) => !contract.includes(k));
        expect(extras.length).toBeGreaterThanOrEqual(5);
        for (const [field, value] of extras) {
          const res = assertSafe(
            await http(sys.url, 'POST', url, { token: admin, body: { ...body(), [field]: value } }),
            `POST ${route} +${field}`,
          );
          expect({ field, status: res.status, code: res.body.error?.code }).toEqual({
            field,
            status: 400,
            code: 'VALIDATION_FAILED',
          });
          expect(JSON.stringify(res.body.error.details)).toContain(field);
        }
        // The control: without the extra field the body is accepted, so the 400 above was the smuggled field.
        const created = assertSafe(await http(sys.url, 'POST', url, { token: admin, body: body() }), `POST ${route}`);
        expect(created.status).toBe(status ?? 201);
        expect(created.text).not.toMatch(/password_hash|token_hash|ciphertext|wrapped_key/);
      });
    }
  });

  // PostgreSQL text cannot hold U+0000: a NUL that reaches an insert or a WHERE clause is a driver error.
  it('answers a NUL character in any string field of any POST/PUT body with a 4xx, never a 5xx', async () => {
    const failures: string[] = [];
    const checked: string[] = [];
    for (const { method, route, op } of ROUTES) {
      if (route === '/api/v1/auth/logout' || route === '/api/v1/auth/keys/rotate') continue;
      const props = (op.requestBody?.content?.['application/json']?.schema?.properties ?? {}) as Record<
        string,
        { type?: string; anyOf?: { type?: string }[] }
      >;
      const url = route.replace(/\{([^}]+)\}/g, (_m, param: string) => realIds(route, param)[0]);
      const token = route === '/api/v1/users/me/password' ? victim.access_token : admin;
      for (const [field, prop] of Object.entries(props)) {
        if (prop.type !== 'string' && !prop.anyOf?.some((a) => a.type === 'string')) continue;
        const body = { ...validBodies()[route](), [field]: `nul\u0000byte` };
        const res = await http(sys.url, method, url, { body, token });
        checked.push(`${method} ${route} ${field}`);
        try {
          assertSafe(res, `${method} ${route} ${field}=NUL`);
        } catch (err) {
          failures.push((err as Error).message.slice(0, 200));
        }
      }
    }
    expect(checked.length).toBeGreaterThan(25);
    expect(failures).toEqual([]);
  });

  it('answers router-level failures and NUL in query filters with the envelope, never a 5xx or a bare framework body', async () => {
    const cases = [
      ['PUT', `/api/v1/user-secrets/${'9'.repeat(400)}`],
      ['GET', '/api/v1/tenants/%zz'],
      ['GET', '/api/v1/user-secrets?q=%00'],
      ['GET', '/api/v1/users?email=a%00b%40lockwell.test'],
      ['GET', '/api/v1/tenants?q=x%00'],
      ['GET', `/api/v1/tenant-secrets?tenant_id=${ids.tenant_id[0]}&service_name=%00`],
    ];
    for (const [method, url] of cases) {
      const res = assertSafe(
        await http(sys.url, method, url, { token: admin, body: method === 'PUT' ? {} : undefined }),
        `${method} ${url}`,
      );
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.text).not.toContain('9'.repeat(50));
    }
  });

  // Found by the fuzz (oversized headers): what Node's HTTP parser refuses never reached the gateway's error
  // handling and came back as fastify's bare body, without a code or a request id.
  it('answers requests the HTTP parser refuses (oversized headers or URL, malformed requests) with the envelope', async () => {
    const raw = (text: string) =>
      new Promise<HttpResult>((resolve, reject) => {
        const { hostname, port } = new URL(sys.url);
        const socket = net.connect(Number(port), hostname, () => socket.write(text));
        let out = '';
        socket.on('data', (d) => (out += d.toString('utf8')));
        socket.on('error', reject);
        socket.on('close', () => {
          const [head, body = ''] = out.split('\r\n\r\n');
          const [statusLine, ...lines] = (head ?? '').split('\r\n');
          const headers = new Headers(lines.map((l) => l.split(': ') as [string, string]));
          let parsed: unknown = body;
          try {
            parsed = JSON.parse(body);
          } catch {
            /* not JSON: assertSafe says so */
          }
          resolve({ status: Number(statusLine?.split(' ')[1]), headers, body: parsed, text: body });
        });
      });
    const cases: [string, Promise<HttpResult>, number][] = [
      ['a 20 KB header', http(sys.url, 'GET', '/api/v1/users/me', { headers: { 'x-big': 'a'.repeat(20_000) } }), 431],
      ['a 70 KB URL', http(sys.url, 'GET', `/api/v1/users/me?${'a'.repeat(70_000)}`), 431],
      ['a malformed request line', raw('GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n'), 400],
      ['a malformed header', raw('GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n'), 400],
      [
        'a malformed chunk',
        raw('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
        400,
      ],
    ];
    for (const [what, sent, status] of cases) {
      const res = assertSafe(await sent, what);
      expect({ what, status: res.status, code: res.body.error.code }).toEqual({
        what,
        status,
        code: status === 431 ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST',
      });
    }
  });

  describe('random bodies, params, queries and headers to every route (API-1, API-3)', () => {
    // DELETE never gets a real id: the cases of the other routes need what those ids name.
    const pathArb = (route: string, real = true) => {
      const params = [...route.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const idArb = (param: string) =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...(real ? realIds(route, param) : []), randomUUID()) },
          fc.uuid(),
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
          fc.constantFrom('..', '%2e%2e', '%00', 'null', '-1', '0', `${'9'.repeat(400)}`),
        );
      return fc
        .tuple(...params.map(idArb))
        .map((values) => params.reduce((p, name, i) => p.replace(`{${name}}`, values[i]), route));
    };

    for (const [i, { method, route, op }] of ROUTES.entries()) {
      it(`${method} ${route}: random bodies and queries never give a 5xx, a stack, SQL or internals`, async () => {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        const fields = Object.keys(schema?.properties ?? {});
        const valid = validBodies()[route] ?? (() => ({}));
        // Own-session routes use users of their own: a logout ends the session, wrong passwords throttle.
        const self = route === '/api/v1/auth/logout' ? leaver : route === '/api/v1/users/me/password' ? victim : null;
        let token = self?.access_token ?? admin;
        const input = fc.record({
          path: pathArb(route),
          query: queryArb,
          body: fc.oneof({ weight: 8, arbitrary: bodyFor(fields, valid) }, rawBody),
          headers: fc.oneof({ weight: 3, arbitrary: fc.constant<Record<string, string>>({}) }, headersArb),
          caller: callerArb,
        });
        await fc.assert(
          fc.asyncProperty(input, async ({ path: p, query, body, headers, caller }) => {
            const res = await http(sys.url, method, p + query, {
              raw: body,
              headers: { 'content-type': 'application/json', ...headers },
              token: headers.authorization ? undefined : self ? token : callers[caller],
            });
            sent.set(`${method} ${route}`, (sent.get(`${method} ${route}`) ?? 0) + 1);
            assertSafe(
              res,
              `${method} ${p.slice(0, 120)}${query.slice(0, 80)} ${JSON.stringify(headers).slice(0, 300)} ${body.slice(0, 200)}`,
              route,
            );
            // A successful logout ended the victim's session: log in again so later runs are authenticated.
            if (route === '/api/v1/auth/logout' && res.status < 300)
              token = await login(sys, leaver.email, leaver.password).then(
                (t) => t.access_token,
                () => token,
              );
          }),
          { seed: 0x10c4 + i, numRuns: runsFor(method), endOnFailure: true, reporter: shortReport },
        );
      });
    }

    for (const [i, { method, route }] of OPERATIONS.entries()) {
      if (method === 'POST' || method === 'PUT') continue;
      it(`${method} ${route}: random params, queries and headers never give a 5xx, a stack, SQL or internals`, async () => {
        const input = fc.record({
          path: pathArb(route, method !== 'DELETE'),
          query: queryArb,
          headers: fc.oneof({ weight: 2, arbitrary: fc.constant<Record<string, string>>({}) }, headersArb),
          caller: callerArb,
        });
        await fc.assert(
          fc.asyncProperty(input, async ({ path: p, query, headers, caller }) => {
            const res = await http(sys.url, method, p + query, {
              headers,
              token: headers.authorization ? undefined : callers[caller],
            });
            sent.set(`${method} ${route}`, (sent.get(`${method} ${route}`) ?? 0) + 1);
            assertSafe(
              res,
              `${method} ${p.slice(0, 120)}${query.slice(0, 80)} ${JSON.stringify(headers).slice(0, 300)}`,
              route,
            );
          }),
          { seed: 0x20c4 + i, numRuns: runsFor(method), endOnFailure: true, reporter: shortReport },
        );
      });
    }

    it('sent at least LOCKWELL_FUZZ_RUNS random cases', () => {
      expect([...sent.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(FUZZ_RUNS);
    });
  });
});
