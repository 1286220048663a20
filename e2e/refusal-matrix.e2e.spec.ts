// The refusal matrix (AZ-1, AZ-2; docs/testing.md): every non-public operation of the committed OpenAPI
// document has exactly one declared rule in RULES below, and each rule is tried as the people it must refuse:
// a signed-in user without the permission (403) and an outsider to the tenant or owner (404), with a valid
// request, after which no table of any of the six databases may have changed. A new route without a rule, or
// a rule for a route that no longer exists, fails the suite.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { decodeJwt } from 'jose';
import { SERVICE_NAMES, type GlobalPermission, type ServiceName, type TenantPermission } from '@lockwell/contracts';
import { eventually } from '@lockwell/testing';
import { startSystem, type TestSystem } from './support/system.js';
import { clientFor, http } from './support/http.js';
import { adminToken, createUser, type CreatedUser } from './support/auth.js';
import { startTestOidcProvider, type TestOidcProvider } from '@lockwell/testing/oidc';
import { callbackUrl, CLIENT, connect, registerService } from './support/connectors.js';

const OPENAPI = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/openapi.json'), 'utf8'),
) as {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
};

/** The ids and tokens a rule's request is built from (see beforeAll). */
interface World {
  tenantId: string;
  tenantSecretId: string;
  personalSecretId: string;
  ownerId: string;
  ownerSessionId: string;
  ownerApiTokenId: string;
  ownerApiToken: string;
  otherUserId: string;
  roleId: string;
  ownerNotificationId: string;
  webhookId: string;
  serviceId: string;
  tenantConnectionId: string;
}
type Request = { path?: string; query?: string; body?: unknown };

/**
 * How an operation is authorised:
 * - `global`: needs an installation-wide permission; any user without it gets 403 (an outsider is such a user).
 * - `tenant`: needs a tenant permission; a member without it gets 403, a non-member 404.
 * - `owner`: acts on something of one user (a personal secret, session, API token, user record); anybody else
 *   gets 404; `tokens` says an API token of the owner gets 403 there too.
 * - `self`: acts only on the caller's own things or public catalogue data: nothing of anybody else to refuse.
 */
type Rule =
  | { kind: 'global'; permission: GlobalPermission; request?: (w: World) => Request }
  | { kind: 'tenant'; permission: TenantPermission; request: (w: World) => Request }
  | {
      kind: 'owner';
      of: 'personal secret' | 'session' | 'api token' | 'user' | 'notification';
      tokensRefused?: boolean;
      request: (w: World) => Request;
    }
  | { kind: 'self'; why: string };

const secretBody = (extra: Record<string, unknown> = {}) => ({
  service_name: 'matrix',
  secret_key_name: `k-${randomUUID().slice(0, 8)}`,
  secret_value: 'matrix-value',
  ...extra,
});
const tenantSecret =
  (sub = '') =>
  (w: World): Request => ({ path: `/api/v1/tenant-secrets/${w.tenantSecretId}${sub}` });
const personalSecret =
  (sub = '', body?: unknown) =>
  (w: World): Request => ({ path: `/api/v1/user-secrets/${w.personalSecretId}${sub}`, body });
const service =
  (sub = '', body?: unknown) =>
  (w: World): Request => ({ path: `/api/v1/admin/services/${w.serviceId}${sub}`, body });
const tenantConnection =
  (sub = '', body?: unknown) =>
  (w: World): Request => ({ path: `/api/v1/services/connections/${w.tenantConnectionId}${sub}`, body });

const RULES: Record<string, Rule> = {
  'GET /api/v1/admin/services': { kind: 'global', permission: 'services:manage' },
  'POST /api/v1/admin/services': {
    kind: 'global',
    permission: 'services:manage',
    request: () => ({
      body: {
        name: 'Matrix',
        slug: `m-${randomUUID().slice(0, 8)}`,
        authorization_url: 'http://127.0.0.1:9/auth',
        token_url: 'http://127.0.0.1:9/token',
        scopes: ['read'],
        redirect_uri: 'http://127.0.0.1:9/cb',
      },
    }),
  },
  'GET /api/v1/admin/services/presets': { kind: 'global', permission: 'services:manage' },
  'GET /api/v1/admin/services/{service_id}': { kind: 'global', permission: 'services:manage', request: service() },
  'PUT /api/v1/admin/services/{service_id}': {
    kind: 'global',
    permission: 'services:manage',
    request: service('', { name: 'Taken Over' }),
  },
  'DELETE /api/v1/admin/services/{service_id}': { kind: 'global', permission: 'services:manage', request: service() },
  'GET /api/v1/admin/services/{service_id}/secrets': {
    kind: 'global',
    permission: 'services:manage',
    request: service('/secrets'),
  },
  'POST /api/v1/admin/services/{service_id}/secrets': {
    kind: 'global',
    permission: 'services:manage',
    request: service('/secrets', { secret_key_name: 'client_secret', secret_value: 'overwritten' }),
  },
  'GET /api/v1/services': {
    kind: 'self',
    why: "the connectable services (no credentials) and the caller's own connection to each; with tenant_id only for members holding connections:use (connectors e2e)",
  },
  'POST /api/v1/services/{service_id}/authorize': {
    kind: 'tenant',
    permission: 'connections:use',
    request: (w) => ({ path: `/api/v1/services/${w.serviceId}/authorize`, body: { tenant_id: w.tenantId } }),
  },
  'GET /api/v1/services/connections': {
    kind: 'self',
    why: "lists the caller's own connections and those of tenants where it holds connections:use",
  },
  'POST /api/v1/services/connections/{connection_id}/token': {
    kind: 'tenant',
    permission: 'connections:use',
    request: tenantConnection('/token', {}),
  },
  'DELETE /api/v1/services/connections/{connection_id}': {
    kind: 'tenant',
    permission: 'connections:use',
    request: tenantConnection(),
  },
  'GET /api/v1/admin/master-key': { kind: 'global', permission: 'keys:rotate' },
  'GET /api/v1/audit': {
    kind: 'tenant',
    permission: 'audit:read',
    request: (w) => ({ query: `?tenant_id=${w.tenantId}` }),
  },
  'GET /api/v1/audit/verify': {
    kind: 'tenant',
    permission: 'audit:read',
    request: (w) => ({ query: `?tenant_id=${w.tenantId}` }),
  },
  'GET /api/v1/audit/export': {
    kind: 'tenant',
    permission: 'audit:read',
    request: (w) => ({ query: `?tenant_id=${w.tenantId}` }),
  },
  'POST /api/v1/admin/master-key/rotate': { kind: 'global', permission: 'keys:rotate', request: () => ({ body: {} }) },
  'POST /api/v1/auth/keys/rotate': { kind: 'global', permission: 'keys:rotate' },
  'POST /api/v1/auth/console/logout': {
    kind: 'self',
    why: "ends the caller's own console session (its cookie; console-session e2e)",
  },
  'POST /api/v1/auth/logout': {
    kind: 'self',
    why: "ends the caller's own session (a foreign refresh token is ignored: identity-sessions e2e)",
  },
  'GET /api/v1/profile': { kind: 'self', why: "the caller's own profile" },
  'GET /api/v1/notifications': { kind: 'self', why: "the caller's own inbox" },
  'GET /api/v1/notifications/preferences': { kind: 'self', why: "the caller's own notification preferences" },
  'PUT /api/v1/notifications/preferences': { kind: 'self', why: "changes the caller's own notification preferences" },
  'POST /api/v1/notifications/{notification_id}/read': {
    kind: 'owner',
    of: 'notification',
    request: (w) => ({ path: `/api/v1/notifications/${w.ownerNotificationId}/read` }),
  },
  'POST /api/v1/roles': {
    kind: 'global',
    permission: 'roles:manage',
    request: () => ({ body: { name: `r-${randomUUID().slice(0, 8)}`, permissions: ['users:manage'] } }),
  },
  'GET /api/v1/roles': {
    kind: 'self',
    why: 'the role catalogue is readable by every signed-in user (docs/api.md "Roles")',
  },
  'GET /api/v1/roles/{role_id}': { kind: 'self', why: 'the role catalogue is readable by every signed-in user' },
  'PUT /api/v1/roles/{role_id}': {
    kind: 'global',
    permission: 'roles:manage',
    request: (w) => ({ path: `/api/v1/roles/${w.roleId}`, body: { permissions: ['users:manage', 'keys:rotate'] } }),
  },
  'DELETE /api/v1/roles/{role_id}': {
    kind: 'global',
    permission: 'roles:manage',
    request: (w) => ({ path: `/api/v1/roles/${w.roleId}` }),
  },
  'GET /api/v1/tenant-secrets': {
    kind: 'tenant',
    permission: 'secrets:list',
    request: (w) => ({ query: `?tenant_id=${w.tenantId}` }),
  },
  'POST /api/v1/tenant-secrets': {
    kind: 'tenant',
    permission: 'secrets:write',
    request: (w) => ({ body: secretBody({ tenant_id: w.tenantId }) }),
  },
  'GET /api/v1/tenant-secrets/{secret_id}': { kind: 'tenant', permission: 'secrets:read', request: tenantSecret() },
  'PUT /api/v1/tenant-secrets/{secret_id}': {
    kind: 'tenant',
    permission: 'secrets:write',
    request: (w) => ({ ...tenantSecret()(w), body: { secret_value: 'overwritten', environment: 'staging' } }),
  },
  'DELETE /api/v1/tenant-secrets/{secret_id}': {
    kind: 'tenant',
    permission: 'secrets:delete',
    request: tenantSecret(),
  },
  'POST /api/v1/tenant-secrets/{secret_id}/cancel-deletion': {
    kind: 'tenant',
    permission: 'secrets:delete',
    request: tenantSecret('/cancel-deletion'),
  },
  'POST /api/v1/tenant-secrets/{secret_id}/rollback': {
    kind: 'tenant',
    permission: 'secrets:write',
    request: (w) => ({ ...tenantSecret('/rollback')(w), body: { version: 1 } }),
  },
  'GET /api/v1/tenant-secrets/{secret_id}/metadata': {
    kind: 'tenant',
    permission: 'secrets:list',
    request: tenantSecret('/metadata'),
  },
  'GET /api/v1/tenant-secrets/{secret_id}/usage': {
    kind: 'tenant',
    permission: 'secrets:list',
    request: tenantSecret('/usage'),
  },
  'GET /api/v1/tenant-secrets/{secret_id}/versions': {
    kind: 'tenant',
    permission: 'secrets:list',
    request: tenantSecret('/versions'),
  },
  'GET /api/v1/tenants': {
    kind: 'self',
    why: "lists the caller's own tenants (all of them only with tenants:read-all: tenants e2e)",
  },
  'POST /api/v1/tenants': { kind: 'self', why: 'any user may create a tenant, which they then own' },
  'GET /api/v1/tenants/{tenant_id}': {
    kind: 'tenant',
    permission: 'tenant:read',
    request: (w) => ({ path: `/api/v1/tenants/${w.tenantId}` }),
  },
  'PUT /api/v1/tenants/{tenant_id}': {
    kind: 'tenant',
    permission: 'tenant:update',
    request: (w) => ({ path: `/api/v1/tenants/${w.tenantId}`, body: { name: 'Taken Over' } }),
  },
  'DELETE /api/v1/tenants/{tenant_id}': {
    kind: 'tenant',
    permission: 'tenant:delete',
    request: (w) => ({ path: `/api/v1/tenants/${w.tenantId}` }),
  },
  'GET /api/v1/tenants/{tenant_id}/members': {
    kind: 'tenant',
    permission: 'members:read',
    request: (w) => ({ path: `/api/v1/tenants/${w.tenantId}/members` }),
  },
  'POST /api/v1/tenants/{tenant_id}/members': {
    kind: 'tenant',
    permission: 'members:manage',
    request: (w) => ({
      path: `/api/v1/tenants/${w.tenantId}/members`,
      body: { user_id: w.otherUserId, role: 'viewer' },
    }),
  },
  'PUT /api/v1/tenants/{tenant_id}/members/{user_id}': {
    kind: 'tenant',
    permission: 'members:manage',
    request: (w) => ({ path: `/api/v1/tenants/${w.tenantId}/members/${w.ownerId}`, body: { role: 'viewer' } }),
  },
  'DELETE /api/v1/tenants/{tenant_id}/members/{user_id}': {
    kind: 'tenant',
    permission: 'members:manage',
    request: (w) => ({ path: `/api/v1/tenants/${w.tenantId}/members/${w.ownerId}` }),
  },
  'GET /api/v1/tenants/{tenant_id}/webhooks': {
    kind: 'tenant',
    permission: 'webhooks:manage',
    request: (w) => ({ path: `/api/v1/tenants/${w.tenantId}/webhooks` }),
  },
  'POST /api/v1/tenants/{tenant_id}/webhooks': {
    kind: 'tenant',
    permission: 'webhooks:manage',
    request: (w) => ({ path: `/api/v1/tenants/${w.tenantId}/webhooks`, body: { url: 'http://127.0.0.1:9/matrix' } }),
  },
  'DELETE /api/v1/tenants/{tenant_id}/webhooks/{webhook_id}': {
    kind: 'tenant',
    permission: 'webhooks:manage',
    request: (w) => ({ path: `/api/v1/tenants/${w.tenantId}/webhooks/${w.webhookId}` }),
  },
  'GET /api/v1/tenants/{tenant_id}/webhooks/{webhook_id}/deliveries': {
    kind: 'tenant',
    permission: 'webhooks:manage',
    request: (w) => ({ path: `/api/v1/tenants/${w.tenantId}/webhooks/${w.webhookId}/deliveries` }),
  },
  'POST /api/v1/tokens/api': {
    kind: 'self',
    why: "creates a token of the caller's, never beyond the caller's rights (identity-users e2e)",
  },
  'GET /api/v1/tokens/api': { kind: 'self', why: "lists the caller's own API tokens" },
  'GET /api/v1/tokens/api/{token_id}': {
    kind: 'owner',
    of: 'api token',
    request: (w) => ({ path: `/api/v1/tokens/api/${w.ownerApiTokenId}` }),
  },
  'DELETE /api/v1/tokens/api/{token_id}': {
    kind: 'owner',
    of: 'api token',
    request: (w) => ({ path: `/api/v1/tokens/api/${w.ownerApiTokenId}` }),
  },
  'GET /api/v1/tokens/sessions': { kind: 'self', why: "lists the caller's own sessions" },
  'DELETE /api/v1/tokens/sessions/{session_id}': {
    kind: 'owner',
    of: 'session',
    request: (w) => ({ path: `/api/v1/tokens/sessions/${w.ownerSessionId}` }),
  },
  'GET /api/v1/user-secrets': { kind: 'self', why: "lists the caller's own personal secrets" },
  'POST /api/v1/user-secrets': { kind: 'self', why: "creates a personal secret in the caller's own space" },
  'GET /api/v1/user-secrets/{secret_id}': {
    kind: 'owner',
    of: 'personal secret',
    tokensRefused: true,
    request: personalSecret(),
  },
  'PUT /api/v1/user-secrets/{secret_id}': {
    kind: 'owner',
    of: 'personal secret',
    tokensRefused: true,
    request: personalSecret('', { secret_value: 'overwritten' }),
  },
  'DELETE /api/v1/user-secrets/{secret_id}': {
    kind: 'owner',
    of: 'personal secret',
    tokensRefused: true,
    request: personalSecret(),
  },
  'POST /api/v1/user-secrets/{secret_id}/cancel-deletion': {
    kind: 'owner',
    of: 'personal secret',
    tokensRefused: true,
    request: personalSecret('/cancel-deletion'),
  },
  'POST /api/v1/user-secrets/{secret_id}/rollback': {
    kind: 'owner',
    of: 'personal secret',
    tokensRefused: true,
    request: personalSecret('/rollback', { version: 1 }),
  },
  'GET /api/v1/user-secrets/{secret_id}/metadata': {
    kind: 'owner',
    of: 'personal secret',
    tokensRefused: true,
    request: personalSecret('/metadata'),
  },
  'GET /api/v1/user-secrets/{secret_id}/usage': {
    kind: 'owner',
    of: 'personal secret',
    tokensRefused: true,
    request: personalSecret('/usage'),
  },
  'GET /api/v1/user-secrets/{secret_id}/versions': {
    kind: 'owner',
    of: 'personal secret',
    tokensRefused: true,
    request: personalSecret('/versions'),
  },
  'POST /api/v1/users': {
    kind: 'global',
    permission: 'users:manage',
    request: () => ({
      body: {
        email: `m-${randomUUID().slice(0, 8)}@lockwell.test`,
        password: `pw-${randomUUID()}`,
        full_name: 'Matrix',
        roles: ['admin'],
      },
    }),
  },
  'GET /api/v1/users': { kind: 'global', permission: 'users:read' },
  'GET /api/v1/users/{user_id}': {
    kind: 'owner',
    of: 'user',
    request: (w) => ({ path: `/api/v1/users/${w.ownerId}` }),
  },
  'PUT /api/v1/users/{user_id}': {
    kind: 'global',
    permission: 'users:manage',
    request: (w) => ({ path: `/api/v1/users/${w.ownerId}`, body: { roles: ['admin'] } }),
  },
  'DELETE /api/v1/users/{user_id}': {
    kind: 'global',
    permission: 'users:manage',
    request: (w) => ({ path: `/api/v1/users/${w.ownerId}` }),
  },
  'DELETE /api/v1/users/{user_id}/sessions': {
    kind: 'global',
    permission: 'users:manage',
    request: (w) => ({ path: `/api/v1/users/${w.ownerId}/sessions` }),
  },
  'GET /api/v1/users/me': { kind: 'self', why: 'the caller themselves' },
  'POST /api/v1/users/me/password': { kind: 'self', why: "changes the caller's own password, which it must present" },
};

const SERVICES: readonly ServiceName[] = SERVICE_NAMES;
// Written by every request or in the background whatever the outcome: audit records wait in the outbox until
// relayed and then land in the audit service's tables (a refusal is itself audited), consumers mark events,
// failed logins count. None of them is state a refusal may change.
const VOLATILE = new Set([
  'outbox',
  'processed_events',
  'login_throttle',
  'mikro_orm_migrations',
  'audit_records',
  'audit_checkpoints',
]);
// Columns that record that a credential was presented, not what it was allowed to do.
const BOOKKEEPING: Record<string, string[]> = { api_tokens: ['last_used_at'] };

function operations(): string[] {
  return Object.entries(OPENAPI.paths).flatMap(([route, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => !(Array.isArray(op.security) && op.security.length === 0))
      .map(([method]) => `${method.toUpperCase()} ${route}`),
  );
}

describe('refusal matrix (generated from docs/openapi.json)', () => {
  let sys: TestSystem;
  let world: World;
  let provider: TestOidcProvider;
  let powerless: CreatedUser; // a member of the tenant whose role grants none of the permissions in RULES
  let outsider: CreatedUser; // a signed-in user in no tenant, holding no global permission
  const clients = new Map<ServiceName, pg.Client>();

  /** A digest of every row of every table that matters, per service database. */
  async function state(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const service of SERVICES) {
      const client = clients.get(service)!;
      const { rows: tables } = await client.query<{ name: string; columns: string[] }>(
        `select c.table_name as name, array_agg(c.column_name::text order by c.ordinal_position) as columns from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
         where c.table_schema = 'public' and t.table_type = 'BASE TABLE' group by c.table_name order by 1`,
      );
      for (const { name, columns } of tables) {
        if (VOLATILE.has(name)) continue;
        const row = columns
          .filter((c) => !BOOKKEEPING[name]?.includes(c))
          .map((c) => `"${c}"`)
          .join(', ');
        const { rows } = await client.query<{ digest: string | null }>(
          `select md5(string_agg(row(${row})::text, E'\\n' order by row(${row})::text)) as digest from "${name}"`,
        );
        out[`${service}.${name}`] = rows[0]!.digest ?? 'empty';
      }
    }
    return out;
  }

  beforeAll(async () => {
    // No proactive refresh: a token refreshed between two digests would look like a change a refusal made.
    sys = await startSystem({ env: { LOCKWELL_CONNECTORS_REFRESH_INTERVAL_MS: '0' } });
    provider = await startTestOidcProvider({ clients: [{ ...CLIENT, redirect_uris: [callbackUrl(sys.url)] }] });
    const api = clientFor(sys.url);
    const admin = await adminToken(sys);
    const owner = await createUser(sys, admin);
    powerless = await createUser(sys, admin);
    outsider = await createUser(sys, admin);
    const other = await createUser(sys, admin);
    // Membership with a permission no route in RULES accepts: deleting secrets of an environment that never exists.
    const role = await api.post(
      '/api/v1/roles',
      { name: `powerless-${randomUUID().slice(0, 6)}`, permissions: ['secrets:delete@matrix-none'] },
      { token: admin },
    );
    expect(role.status).toBe(201);
    const tenant = await api.post(
      '/api/v1/tenants',
      { name: `Matrix ${randomUUID().slice(0, 6)}` },
      { token: owner.access_token },
    );
    expect(
      (
        await api.post(
          `/api/v1/tenants/${tenant.body.id}/members`,
          { user_id: powerless.id, role: role.body.id },
          { token: owner.access_token },
        )
      ).status,
    ).toBe(201);
    const shared = await api.post(
      '/api/v1/tenant-secrets',
      { ...secretBody(), tenant_id: tenant.body.id },
      { token: owner.access_token },
    );
    const personal = await api.post('/api/v1/user-secrets', secretBody(), { token: owner.access_token });
    const token = await api.post(
      '/api/v1/tokens/api',
      { name: 'matrix', tenant_id: tenant.body.id, permissions: ['secrets:read'] },
      { token: owner.access_token },
    );
    // A webhook that takes only deletions (none happen here), so nothing is ever posted to its closed port.
    const webhook = await api.post(
      `/api/v1/tenants/${tenant.body.id}/webhooks`,
      { url: 'http://127.0.0.1:9/matrix', events: ['secret.deleted'] },
      { token: owner.access_token },
    );
    for (const r of [tenant, shared, personal, token, webhook]) expect(r.status).toBe(201);
    const serviceId = await registerService(sys.url, admin, provider);
    const connection = await connect(sys.url, provider, {
      token: owner.access_token,
      serviceId,
      login: 'matrix-owner',
      body: { tenant_id: tenant.body.id },
    });
    expect(connection.status).toBe(200);
    // Notifications work in the background on these events (a member added, a token created, two secrets to
    // watch): let them settle first, so no digest moves under a refused request.
    const notified = await eventually(async () => {
      const items = (await api.get('/api/v1/notifications', { token: owner.access_token })).body.items as {
        id: string;
        kind: string;
      }[];
      return items.some((i) => i.kind === 'token.created') && items.some((i) => i.kind === 'member.added')
        ? items
        : null;
    }, 15_000);
    world = {
      tenantId: tenant.body.id,
      tenantSecretId: shared.body.id,
      personalSecretId: personal.body.id,
      ownerId: owner.id,
      ownerSessionId: decodeJwt(owner.access_token).sid as string,
      ownerApiTokenId: token.body.id,
      ownerApiToken: token.body.token,
      otherUserId: other.id,
      roleId: role.body.id,
      ownerNotificationId: notified[0]!.id,
      webhookId: webhook.body.id,
      serviceId,
      tenantConnectionId: connection.body.connection.id,
    };
    for (const service of SERVICES) {
      const client = new pg.Client({ connectionString: sys.databaseUrl(service) });
      await client.connect();
      clients.set(service, client);
    }
    const notifications = clients.get('notifications')!;
    await eventually(async () => {
      const { rows } = await notifications.query<{ pending: string; watched: string }>(
        `select (select count(*) from notifications where dispatched_at is null) as pending, (select count(*) from watched_secrets) as watched`,
      );
      return rows[0]!.pending === '0' && rows[0]!.watched === '2';
    }, 15_000);
  }, 90_000);
  afterAll(async () => {
    for (const c of clients.values()) await c.end();
    await provider?.stop();
    await sys?.stop();
  });

  it('declares exactly one rule per non-public operation of the OpenAPI document', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(40);
    expect({ withoutRule: ops.filter((op) => !(op in RULES)) }).toEqual({ withoutRule: [] });
    expect({ staleRules: Object.keys(RULES).filter((op) => !ops.includes(op)) }).toEqual({ staleRules: [] });
  });

  const cases = Object.entries(RULES).flatMap(([op, rule]) => {
    const [method, route] = op.split(' ') as [string, string];
    if (rule.kind === 'self') return [];
    const who: [string, () => string, number][] =
      rule.kind === 'global'
        ? [
            ['a user without ' + rule.permission, () => powerless.access_token, 403],
            ['an outsider', () => outsider.access_token, 403],
          ]
        : rule.kind === 'tenant'
          ? [
              ['a member without ' + rule.permission, () => powerless.access_token, 403],
              ['an outsider to the tenant', () => outsider.access_token, 404],
            ]
          : [
              [`another user than the ${rule.of}'s owner`, () => outsider.access_token, 404],
              ...(rule.tokensRefused
                ? ([['an API token of the owner', () => world.ownerApiToken, 403]] as [string, () => string, number][])
                : []),
            ];
    return who.map(([label, token, status]) => ({ op, method, route, rule, label, token, status }));
  });

  it.each(cases)(
    '$op refuses $label with $status and changes nothing',
    async ({ method, route, rule, token, status }) => {
      const req = 'request' in rule && rule.request ? rule.request(world) : {};
      const url = `${req.path ?? route}${req.query ?? ''}`;
      expect(url).not.toMatch(/\{/);
      const before = await state();
      const res = await http(sys.url, method, url, {
        token: token(),
        body: req.body ?? (['POST', 'PUT'].includes(method) ? {} : undefined),
      });
      expect({ status: res.status, code: res.body?.error?.code }).toEqual({
        status,
        code: status === 403 ? 'FORBIDDEN' : expect.stringMatching(/NOT_FOUND$/),
      });
      const after = await state();
      const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
      expect({ changed }).toEqual({ changed: [] });
    },
  );

  it('covers every rule that can refuse someone, and its digest does see a write', async () => {
    expect(new Set(cases.map((c) => c.op)).size).toBe(Object.values(RULES).filter((r) => r.kind !== 'self').length);
    const before = await state();
    expect(
      (await clientFor(sys.url).post('/api/v1/user-secrets', secretBody(), { token: outsider.access_token })).status,
    ).toBe(201);
    const after = await state();
    expect(Object.keys(after).filter((t) => after[t] !== before[t])).toEqual(
      expect.arrayContaining(['vault.secrets', 'vault.secret_versions']),
    );
  });
});
