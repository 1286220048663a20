// The attack matrix (AZ-1, AZ-2; docs/testing.md "The attack matrix"): every non-public operation of the
// committed OpenAPI document has exactly one declared rule in RULES below, and every rule is tried as every
// caller of CALLERS: anonymous, an expired access token, an expired API token, a revoked session, a deleted API
// token, a user outside the tenant, a member of another tenant, each built-in tenant role, an environment-limited
// custom role, a custom role without the permission, an API token without the permission, the installation
// admin and an admin API token without the permission. The expected answer of each cell follows from the rule
// alone (`expected` below). A refused cell must carry the error envelope and nothing else, and after all refused
// cells no table of any of the six databases may have changed; an allowed cell must pass with a 2xx; no answer
// may show a secret value, a raw token or a client secret unless its rule says the route reveals that value.
// A new route without a rule, or a rule for a route that no longer exists, fails the suite.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrivateKey, randomUUID } from 'node:crypto';
import pg from 'pg';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import {
  BUILT_IN_TENANT_ROLES,
  permits,
  permitsSomewhere,
  SERVICE_NAMES,
  type GlobalPermission,
  type ServiceName,
  type TenantPermission,
} from '@lockwell/contracts';
import { buildAad, open, parseMasterKeyRing } from '@lockwell/crypto';
import { eventually } from '@lockwell/testing';
import { startSystem, type TestSystem } from './support/system.js';
import { clientFor, http, type HttpResult } from './support/http.js';
import { adminToken, createUser, login, type CreatedUser } from './support/auth.js';
import { startTestOidcProvider, type TestOidcProvider } from '@lockwell/testing/oidc';
import { callbackUrl, CLIENT, connect, registerService, tokenOf } from './support/connectors.js';

const OPENAPI = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/openapi.json'), 'utf8'),
) as {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
};

/** The environment of the world's tenant secret; the environment-limited role holds its rights elsewhere. */
const SECRET_ENV = 'production';
const LIMITED_ENV = 'staging';

/** Values no answer may show unless its route reveals them (`Rule.reveals`). */
interface Needles {
  tenantSecret: string;
  personalSecret: string;
  connectionToken: string;
  clientSecret: string;
  webhookSecret: string;
  rawTokens: string[];
}
type Revealed = keyof Omit<Needles, 'rawTokens'>;

/** The ids a rule's request is built from, and each caller's credential in this world (see `world()`). */
interface World {
  tenantId: string;
  tenantSecretId: string;
  personalSecretId: string;
  ownerId: string;
  ownerSessionId: string;
  ownerApiTokenId: string;
  otherUserId: string;
  bystanderId: string;
  /** A user in no tenant, for the user administration routes to change and delete. */
  spareUserId: string;
  roleId: string;
  ownerNotificationId: string;
  webhookId: string;
  serviceId: string;
  tenantConnectionId: string;
  tokens: Partial<Record<Caller, string>>;
  /** The tenant-bound API tokens of the owner, by the one permission each holds. */
  ownerTokens: Record<'tenant:read' | 'members:read', string>;
  /** The installation admin's API tokens, by the one global permission each holds. */
  adminTokens: Record<'users:read' | 'roles:manage', string>;
  needles: Needles;
}
type Request = { path?: string; query?: string; body?: unknown; headers?: Record<string, string> };
type Who = { caller: Caller; user?: CreatedUser };

const CALLERS = [
  'anonymous',
  'an expired access token',
  'an expired API token',
  'a revoked session',
  'a deleted API token',
  'a user outside the tenant',
  'a member of another tenant',
  'owner',
  'admin',
  'member',
  'viewer',
  'an environment-limited role',
  'a custom role without the permission',
  'an API token without the permission',
  'the installation admin',
  'an admin API token without the permission',
] as const;
type Caller = (typeof CALLERS)[number];
const UNAUTHENTICATED = new Set<Caller>([
  'anonymous',
  'an expired access token',
  'an expired API token',
  'a revoked session',
  'a deleted API token',
]);
/** The tenant permissions each member caller holds in the world's tenant. */
const MEMBER_PERMISSIONS: Partial<Record<Caller, readonly string[]>> = {
  owner: BUILT_IN_TENANT_ROLES.owner,
  admin: BUILT_IN_TENANT_ROLES.admin,
  member: BUILT_IN_TENANT_ROLES.member,
  viewer: BUILT_IN_TENANT_ROLES.viewer,
  'an environment-limited role': [
    'tenant:read',
    ...(['secrets:list', 'secrets:read', 'secrets:write', 'secrets:delete'] as const).map((p) => `${p}@${LIMITED_ENV}`),
  ],
  // Deleting secrets of an environment that never exists: no route in RULES accepts it.
  'a custom role without the permission': ['secrets:delete@matrix-none'],
};

/**
 * How an operation is authorised, from which every cell's expected answer follows (`expected`):
 * - `global`: needs an installation-wide permission: only the installation admin passes, everybody else (an API
 *   token of the admin without that permission too) gets 403.
 * - `tenant`: needs a tenant permission: a member whose role grants it passes (in the secret's environment,
 *   or in any environment for a list: `anyEnvironment`), other members and API tokens without it get 403,
 *   non-members 404; the installation admin, no member, sees every tenant (tenants:read-all) and its audit
 *   (audit:read-all): `installationAdmin` says where that lets it pass or makes the refusal a 403.
 * - `owner`: acts on something of one user (a personal secret, session, API token, user record): only the owner
 *   passes (and the installation admin where `adminReach` names its global permission that reaches anybody's),
 *   anybody else gets 404; `tokens` is what the owner's own API token gets.
 * - `self`: acts only on the caller's own things or public catalogue data: every signed-in caller passes
 *   (`tokens`: what an API token gets when that differs; `refused`: callers the operation itself refuses).
 * Every rule: `request` builds a valid request (so it is authorisation that refuses, not validation); `fresh`
 * runs allowed cells on a world of their own because they destroy or change what other cells need (`last`: they
 * end the caller's session, the tenant or the user, so they run after the others of that world); `reveals`
 * names the values an allowed answer may carry.
 */
type Common = {
  request?: (w: World, who: Who) => Request;
  fresh?: 'target' | 'last';
  reveals?: Revealed[];
  tokens?: 'allowed' | 401 | 403;
};
type Rule = Common &
  (
    | { kind: 'global'; permission: GlobalPermission }
    | { kind: 'tenant'; permission: TenantPermission; anyEnvironment?: true; installationAdmin?: 'allowed' | 403 }
    | {
        kind: 'owner';
        of: 'personal secret' | 'session' | 'api token' | 'user' | 'notification';
        adminReach?: GlobalPermission;
      }
    | { kind: 'self'; why: string; refused?: { callers: Caller[]; answer: 403; why: string } }
  );
type Outcome = 'allowed' | 401 | 403 | 404;

/** The answer a caller must get from an operation with this rule. */
function expected(rule: Rule, caller: Caller): Outcome {
  if (UNAUTHENTICATED.has(caller)) return 401;
  if (caller === 'an admin API token without the permission') return 403;
  if (caller === 'an API token without the permission')
    return rule.kind === 'global' || rule.kind === 'tenant' ? 403 : (rule.tokens ?? 'allowed');
  switch (rule.kind) {
    case 'global':
      return caller === 'the installation admin' ? 'allowed' : 403;
    case 'tenant': {
      if (caller === 'the installation admin') return rule.installationAdmin ?? 404;
      const granted = MEMBER_PERMISSIONS[caller];
      if (!granted) return 404;
      const ok = rule.anyEnvironment
        ? permitsSomewhere(granted, rule.permission)
        : permits(granted, rule.permission, SECRET_ENV);
      return ok ? 'allowed' : 403;
    }
    case 'owner':
      return caller === 'owner' || (caller === 'the installation admin' && rule.adminReach) ? 'allowed' : 404;
    case 'self':
      return rule.refused?.callers.includes(caller) ? rule.refused.answer : 'allowed';
  }
}

const secretBody = (extra: Record<string, unknown> = {}) => ({
  service_name: 'matrix',
  secret_key_name: `k-${randomUUID().slice(0, 8)}`,
  secret_value: 'matrix-value',
  ...extra,
});
const tenantSecret =
  (sub = '', body?: unknown) =>
  (w: World): Request => ({ path: `/api/v1/tenant-secrets/${w.tenantSecretId}${sub}`, body });
const personalSecret =
  (sub = '', body?: unknown) =>
  (w: World): Request => ({ path: `/api/v1/user-secrets/${w.personalSecretId}${sub}`, body });
const service =
  (sub = '', body?: unknown) =>
  (w: World): Request => ({ path: `/api/v1/admin/services/${w.serviceId}${sub}`, body });
const tenantConnection =
  (sub = '', body?: unknown) =>
  (w: World): Request => ({ path: `/api/v1/services/connections/${w.tenantConnectionId}${sub}`, body });
const inTenant =
  (sub = '', body?: unknown) =>
  (w: World): Request => ({ path: `/api/v1/tenants/${w.tenantId}${sub}`, body });
const tenantQuery = (w: World): Request => ({ query: `?tenant_id=${w.tenantId}` });

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
  'DELETE /api/v1/admin/services/{service_id}': {
    kind: 'global',
    permission: 'services:manage',
    fresh: 'last',
    request: service(),
  },
  'GET /api/v1/admin/services/{service_id}/secrets': {
    kind: 'global',
    permission: 'services:manage',
    request: service('/secrets'),
  },
  'POST /api/v1/admin/services/{service_id}/secrets': {
    kind: 'global',
    permission: 'services:manage',
    fresh: 'target',
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
    reveals: ['connectionToken'],
    request: tenantConnection('/token', {}),
  },
  'DELETE /api/v1/services/connections/{connection_id}': {
    kind: 'tenant',
    permission: 'connections:use',
    fresh: 'target',
    request: tenantConnection(),
  },
  'GET /api/v1/admin/master-key': { kind: 'global', permission: 'keys:rotate' },
  'GET /api/v1/audit': {
    kind: 'tenant',
    permission: 'audit:read',
    installationAdmin: 'allowed',
    request: tenantQuery,
  },
  'GET /api/v1/audit/verify': {
    kind: 'tenant',
    permission: 'audit:read',
    installationAdmin: 'allowed',
    request: tenantQuery,
  },
  'GET /api/v1/audit/export': {
    kind: 'tenant',
    permission: 'audit:read',
    installationAdmin: 'allowed',
    request: tenantQuery,
  },
  'POST /api/v1/admin/master-key/rotate': {
    kind: 'global',
    permission: 'keys:rotate',
    fresh: 'last',
    request: () => ({ body: {} }),
  },
  'POST /api/v1/auth/keys/rotate': { kind: 'global', permission: 'keys:rotate', fresh: 'last' },
  'POST /api/v1/auth/console/logout': {
    kind: 'self',
    fresh: 'last',
    why: "ends the caller's own console session (its cookie; console-session e2e)",
    request: () => ({ headers: { 'x-lockwell-console': '1' } }),
  },
  'POST /api/v1/auth/logout': {
    kind: 'self',
    fresh: 'last',
    why: "ends the caller's own session (a foreign refresh token is ignored: identity-sessions e2e)",
  },
  'GET /api/v1/profile': { kind: 'self', why: "the caller's own profile" },
  'GET /api/v1/notifications': { kind: 'self', why: "the caller's own inbox" },
  'GET /api/v1/notifications/preferences': { kind: 'self', why: "the caller's own notification preferences" },
  'PUT /api/v1/notifications/preferences': {
    kind: 'self',
    why: "changes the caller's own notification preferences",
    request: () => ({ body: { items: [{ kind: 'secret.expiring', email: true, webhook: true, in_app: true }] } }),
  },
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
  'GET /api/v1/roles/{role_id}': {
    kind: 'self',
    why: 'the role catalogue is readable by every signed-in user',
    request: (w) => ({ path: `/api/v1/roles/${w.roleId}` }),
  },
  'PUT /api/v1/roles/{role_id}': {
    kind: 'global',
    permission: 'roles:manage',
    fresh: 'target',
    request: (w) => ({ path: `/api/v1/roles/${w.roleId}`, body: { permissions: ['users:manage', 'keys:rotate'] } }),
  },
  'DELETE /api/v1/roles/{role_id}': {
    kind: 'global',
    permission: 'roles:manage',
    fresh: 'last',
    request: (w) => ({ path: `/api/v1/roles/${w.roleId}` }),
  },
  'GET /api/v1/tenant-secrets': {
    kind: 'tenant',
    permission: 'secrets:list',
    anyEnvironment: true,
    request: tenantQuery,
  },
  'POST /api/v1/tenant-secrets': {
    kind: 'tenant',
    permission: 'secrets:write',
    request: (w) => ({ body: secretBody({ tenant_id: w.tenantId, environment: SECRET_ENV }) }),
  },
  'GET /api/v1/tenant-secrets/{secret_id}': {
    kind: 'tenant',
    permission: 'secrets:read',
    reveals: ['tenantSecret'],
    request: tenantSecret(),
  },
  'PUT /api/v1/tenant-secrets/{secret_id}': {
    kind: 'tenant',
    permission: 'secrets:write',
    fresh: 'target',
    reveals: ['tenantSecret'],
    request: tenantSecret('', { secret_value: 'overwritten', environment: LIMITED_ENV }),
  },
  'DELETE /api/v1/tenant-secrets/{secret_id}': {
    kind: 'tenant',
    permission: 'secrets:delete',
    fresh: 'last',
    request: (w) => ({ ...tenantSecret()(w), query: '?mode=schedule' }),
  },
  'POST /api/v1/tenant-secrets/{secret_id}/cancel-deletion': {
    kind: 'tenant',
    permission: 'secrets:delete',
    fresh: 'last',
    request: tenantSecret('/cancel-deletion'),
  },
  'POST /api/v1/tenant-secrets/{secret_id}/rollback': {
    kind: 'tenant',
    permission: 'secrets:write',
    reveals: ['tenantSecret'],
    request: tenantSecret('/rollback', { version: 1 }),
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
  'POST /api/v1/tenants': {
    kind: 'self',
    why: 'any user may create a tenant, which they then own',
    request: () => ({ body: { name: `Own ${randomUUID().slice(0, 8)}` } }),
  },
  'GET /api/v1/tenants/{tenant_id}': {
    kind: 'tenant',
    permission: 'tenant:read',
    installationAdmin: 'allowed',
    request: inTenant(),
  },
  'PUT /api/v1/tenants/{tenant_id}': {
    kind: 'tenant',
    installationAdmin: 403,
    permission: 'tenant:update',
    request: inTenant('', { name: 'Taken Over' }),
  },
  'DELETE /api/v1/tenants/{tenant_id}': {
    kind: 'tenant',
    installationAdmin: 403,
    permission: 'tenant:delete',
    fresh: 'last',
    request: inTenant(),
  },
  'GET /api/v1/tenants/{tenant_id}/members': {
    kind: 'tenant',
    installationAdmin: 'allowed',
    permission: 'members:read',
    request: inTenant('/members'),
  },
  'POST /api/v1/tenants/{tenant_id}/members': {
    kind: 'tenant',
    installationAdmin: 403,
    permission: 'members:manage',
    fresh: 'target',
    request: (w) => inTenant('/members', { user_id: w.otherUserId, role: 'viewer' })(w),
  },
  'PUT /api/v1/tenants/{tenant_id}/members/{user_id}': {
    kind: 'tenant',
    installationAdmin: 403,
    permission: 'members:manage',
    fresh: 'target',
    request: (w) => inTenant(`/members/${w.bystanderId}`, { role: 'viewer' })(w),
  },
  'DELETE /api/v1/tenants/{tenant_id}/members/{user_id}': {
    kind: 'tenant',
    installationAdmin: 403,
    permission: 'members:manage',
    fresh: 'last',
    request: (w) => inTenant(`/members/${w.bystanderId}`)(w),
  },
  'GET /api/v1/tenants/{tenant_id}/webhooks': {
    kind: 'tenant',
    permission: 'webhooks:manage',
    request: inTenant('/webhooks'),
  },
  'POST /api/v1/tenants/{tenant_id}/webhooks': {
    kind: 'tenant',
    permission: 'webhooks:manage',
    request: inTenant('/webhooks', { url: 'http://127.0.0.1:9/matrix', events: ['secret.deleted'] }),
  },
  'DELETE /api/v1/tenants/{tenant_id}/webhooks/{webhook_id}': {
    kind: 'tenant',
    permission: 'webhooks:manage',
    fresh: 'last',
    request: (w) => inTenant(`/webhooks/${w.webhookId}`)(w),
  },
  'GET /api/v1/tenants/{tenant_id}/webhooks/{webhook_id}/deliveries': {
    kind: 'tenant',
    permission: 'webhooks:manage',
    request: (w) => inTenant(`/webhooks/${w.webhookId}/deliveries`)(w),
  },
  'POST /api/v1/tokens/api': {
    kind: 'self',
    why: "creates a token of the caller's, never beyond the caller's rights (identity-users e2e)",
    tokens: 403,
    refused: {
      callers: ['a user outside the tenant', 'a custom role without the permission', 'the installation admin'],
      answer: 403,
      why: 'a token never exceeds its creator: these callers hold tenant:read in no tenant',
    },
    request: () => ({ body: { name: `t-${randomUUID().slice(0, 8)}`, permissions: ['tenant:read'] } }),
  },
  'GET /api/v1/tokens/api': { kind: 'self', why: "lists the caller's own API tokens" },
  'GET /api/v1/tokens/api/{token_id}': {
    kind: 'owner',
    adminReach: 'users:manage',
    of: 'api token',
    tokens: 403,
    request: (w) => ({ path: `/api/v1/tokens/api/${w.ownerApiTokenId}` }),
  },
  'DELETE /api/v1/tokens/api/{token_id}': {
    kind: 'owner',
    adminReach: 'users:manage',
    of: 'api token',
    fresh: 'last',
    tokens: 403,
    request: (w) => ({ path: `/api/v1/tokens/api/${w.ownerApiTokenId}` }),
  },
  // An API token of the owner neither sees nor ends the owner's sign-in sessions (a leaked read-only token cannot
  // sign its owner out), nor the owner's other API tokens (the cells above: an API token may see and revoke only
  // itself, which vault-tokens.e2e.spec.ts tests).
  'GET /api/v1/tokens/sessions': { kind: 'self', why: "lists the caller's own sessions", tokens: 403 },
  'DELETE /api/v1/tokens/sessions/{session_id}': {
    kind: 'owner',
    adminReach: 'users:manage',
    of: 'session',
    fresh: 'last',
    tokens: 403,
    request: (w) => ({ path: `/api/v1/tokens/sessions/${w.ownerSessionId}` }),
  },
  'GET /api/v1/user-secrets': { kind: 'self', why: "lists the caller's own personal secrets", tokens: 403 },
  'POST /api/v1/user-secrets': {
    kind: 'self',
    why: "creates a personal secret in the caller's own space",
    tokens: 403,
    request: () => ({ body: secretBody() }),
  },
  'GET /api/v1/user-secrets/{secret_id}': {
    kind: 'owner',
    of: 'personal secret',
    tokens: 403,
    reveals: ['personalSecret'],
    request: personalSecret(),
  },
  'PUT /api/v1/user-secrets/{secret_id}': {
    kind: 'owner',
    of: 'personal secret',
    tokens: 403,
    fresh: 'target',
    request: personalSecret('', { secret_value: 'overwritten' }),
  },
  'DELETE /api/v1/user-secrets/{secret_id}': {
    kind: 'owner',
    of: 'personal secret',
    tokens: 403,
    fresh: 'last',
    request: (w) => ({ ...personalSecret()(w), query: '?mode=schedule' }),
  },
  'POST /api/v1/user-secrets/{secret_id}/cancel-deletion': {
    kind: 'owner',
    of: 'personal secret',
    tokens: 403,
    fresh: 'last',
    request: personalSecret('/cancel-deletion'),
  },
  'POST /api/v1/user-secrets/{secret_id}/rollback': {
    kind: 'owner',
    of: 'personal secret',
    tokens: 403,
    reveals: ['personalSecret'],
    request: personalSecret('/rollback', { version: 1 }),
  },
  'GET /api/v1/user-secrets/{secret_id}/metadata': {
    kind: 'owner',
    of: 'personal secret',
    tokens: 403,
    request: personalSecret('/metadata'),
  },
  'GET /api/v1/user-secrets/{secret_id}/usage': {
    kind: 'owner',
    of: 'personal secret',
    tokens: 403,
    request: personalSecret('/usage'),
  },
  'GET /api/v1/user-secrets/{secret_id}/versions': {
    kind: 'owner',
    of: 'personal secret',
    tokens: 403,
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
    adminReach: 'users:read',
    request: (w) => ({ path: `/api/v1/users/${w.ownerId}` }),
  },
  'PUT /api/v1/users/{user_id}': {
    kind: 'global',
    permission: 'users:manage',
    fresh: 'target',
    request: (w) => ({ path: `/api/v1/users/${w.spareUserId}`, body: { roles: ['admin'] } }),
  },
  'DELETE /api/v1/users/{user_id}': {
    kind: 'global',
    permission: 'users:manage',
    fresh: 'last',
    request: (w) => ({ path: `/api/v1/users/${w.spareUserId}` }),
  },
  'DELETE /api/v1/users/{user_id}/sessions': {
    kind: 'global',
    permission: 'users:manage',
    fresh: 'last',
    request: (w) => ({ path: `/api/v1/users/${w.spareUserId}/sessions` }),
  },
  'GET /api/v1/users/me': { kind: 'self', why: 'the caller themselves' },
  'POST /api/v1/users/me/password': {
    kind: 'self',
    fresh: 'last',
    why: "changes the caller's own password, which it must present",
    tokens: 403,
    request: (_w, who) => ({
      body: { current_password: who.user?.password ?? 'not-a-user', new_password: `${who.user?.password}-next` },
    }),
  },
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
/** Requests in flight at once: the cells share one system. */
const CONCURRENCY = 8;

function operations(): string[] {
  return Object.entries(OPENAPI.paths).flatMap(([route, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => !(Array.isArray(op.security) && op.security.length === 0))
      .map(([method]) => `${method.toUpperCase()} ${route}`),
  );
}

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

interface Cell {
  op: string;
  method: string;
  route: string;
  rule: Rule;
  caller: Caller;
  outcome: Outcome;
}

const CELLS: Cell[] = Object.entries(RULES).flatMap(([op, rule]) => {
  const [method, route] = op.split(' ') as [string, string];
  return CALLERS.filter(
    (caller) => caller !== 'an admin API token without the permission' || rule.kind === 'global',
  ).map((caller) => ({ op, method, route, rule, caller, outcome: expected(rule, caller) }));
});

describe('attack matrix (generated from docs/openapi.json)', () => {
  let sys: TestSystem;
  let main: World;
  let provider: TestOidcProvider;
  let admin: string;
  const users = {} as Record<
    | 'owner'
    | 'admin'
    | 'member'
    | 'viewer'
    | 'limited'
    | 'powerless'
    | 'outsider'
    | 'foreigner'
    | 'bystander'
    | 'other'
    | 'installation',
    CreatedUser
  >;
  const clients = new Map<ServiceName, pg.Client>();
  const checked = { refused: 0, allowed: 0 };
  let roles: Record<'limited' | 'powerless', string>;
  const api = () => clientFor(sys.url);

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

  const created = async (res: Promise<HttpResult>, what: string) => {
    const r = await res;
    if (r.status !== 201) throw new Error(`setup ${what}: ${r.status} ${r.text}`);
    return r.body;
  };
  const apiTokenOf = (token: string, body: Record<string, unknown>) =>
    created(api().post('/api/v1/tokens/api', { name: `m-${randomUUID().slice(0, 6)}`, ...body }, { token }), 'token');

  /** An access token of `user`'s session whose `exp` lies in the past, signed with identity's real key. */
  async function expiredAccessToken(user: CreatedUser): Promise<string> {
    const kid = decodeProtectedHeader(user.access_token).kid!;
    const { rows } = await clients
      .get('identity')!
      .query<{ private_key_sealed: Buffer }>(`select private_key_sealed from signing_keys where kid = $1`, [kid]);
    const ring = parseMasterKeyRing(sys.masterKey, 'test');
    const der = open((id) => ring.key(id), rows[0]!.private_key_sealed, buildAad({ purpose: 'jwt-signing-key', kid }));
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      ...decodeJwt(user.access_token),
      jti: randomUUID(),
      iat: now - 900,
      nbf: now - 900,
      exp: now - 60,
    })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .sign(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  }

  /**
   * A tenant owned by `owner` with the member callers in their roles, a bystander member, a production secret,
   * a personal secret, API tokens, a custom role, a webhook, a service and a tenant connection to it.
   */
  async function world(owner: CreatedUser, roles: Record<string, string>): Promise<Omit<World, 'tokens'>> {
    const token = owner.access_token;
    // The main world's refused cells change nobody; a world of its own gets a user to change and delete.
    const spare = main?.tenantId ? await createUser(sys, admin) : users.other;
    const suffix = randomUUID().slice(0, 6);
    const tenant = await created(api().post('/api/v1/tenants', { name: `Matrix ${suffix}` }, { token }), 'tenant');
    const members: [CreatedUser, string][] = [
      [users.admin, 'admin'],
      [users.member, 'member'],
      [users.viewer, 'viewer'],
      [users.limited, roles.limited!],
      [users.powerless, roles.powerless!],
      [users.bystander, 'member'],
    ];
    for (const [user, role] of members)
      await created(
        api().post(`/api/v1/tenants/${tenant.id}/members`, { user_id: user.id, role }, { token }),
        `member ${role}`,
      );
    const tenantSecretValue = `matrix-tenant-${randomUUID()}`;
    const personalSecretValue = `matrix-personal-${randomUUID()}`;
    const shared = await created(
      api().post(
        '/api/v1/tenant-secrets',
        secretBody({ tenant_id: tenant.id, environment: SECRET_ENV, secret_value: tenantSecretValue }),
        { token },
      ),
      'tenant secret',
    );
    const personal = await created(
      api().post('/api/v1/user-secrets', secretBody({ secret_value: personalSecretValue }), { token }),
      'personal secret',
    );
    const readToken = await apiTokenOf(token, { tenant_id: tenant.id, permissions: ['tenant:read'] });
    const membersToken = await apiTokenOf(token, { tenant_id: tenant.id, permissions: ['members:read'] });
    const role = await created(
      api().post(
        '/api/v1/roles',
        { name: `matrix-${randomUUID().slice(0, 8)}`, permissions: ['secrets:read@matrix-none'] },
        { token: admin },
      ),
      'role',
    );
    // A webhook that takes only deletions, posted to a closed port: nothing the matrix does depends on it.
    const webhook = await created(
      api().post(
        `/api/v1/tenants/${tenant.id}/webhooks`,
        { url: 'http://127.0.0.1:9/matrix', events: ['secret.deleted'] },
        { token },
      ),
      'webhook',
    );
    const serviceId = await registerService(sys.url, admin, provider);
    const connection = await connect(sys.url, provider, {
      token,
      serviceId,
      login: `matrix-${suffix}`,
      body: { tenant_id: tenant.id },
    });
    expect(connection.status).toBe(200);
    const handedOut = await tokenOf(sys.url, token, connection.body.connection.id);
    expect(handedOut.status).toBe(200);
    return {
      tenantId: tenant.id,
      tenantSecretId: shared.id,
      personalSecretId: personal.id,
      ownerId: owner.id,
      ownerSessionId: decodeJwt(token).sid as string,
      // Another token of the owner than the one that calls as 'an API token without the permission' (readToken).
      ownerApiTokenId: membersToken.id,
      otherUserId: users.other.id,
      bystanderId: users.bystander.id,
      spareUserId: spare.id,
      roleId: role.id,
      // Set for the main world once notifications settled; no cell of a world of its own reads it.
      ownerNotificationId: randomUUID(),
      webhookId: webhook.id,
      serviceId,
      tenantConnectionId: connection.body.connection.id,
      ownerTokens: { 'tenant:read': readToken.token, 'members:read': membersToken.token },
      adminTokens: main?.adminTokens,
      needles: {
        tenantSecret: tenantSecretValue,
        personalSecret: personalSecretValue,
        connectionToken: handedOut.body.access_token,
        clientSecret: CLIENT.client_secret,
        webhookSecret: webhook.secret,
        rawTokens: [readToken.token, membersToken.token, owner.refresh_token],
      },
    };
  }

  /** Each caller's credential for a cell (undefined: no Authorization header). */
  function credential(w: World, cell: Cell): string | undefined {
    const { rule, caller } = cell;
    if (caller === 'an API token without the permission') {
      if (rule.kind === 'global')
        return rule.permission === 'users:read' ? w.adminTokens['roles:manage'] : w.adminTokens['users:read'];
      return rule.kind === 'tenant' && rule.permission === 'tenant:read'
        ? w.ownerTokens['members:read']
        : w.ownerTokens['tenant:read'];
    }
    if (caller === 'an admin API token without the permission' && rule.kind === 'global')
      return rule.permission === 'users:read' ? w.adminTokens['roles:manage'] : w.adminTokens['users:read'];
    return w.tokens[caller];
  }
  const userOf: Partial<Record<Caller, keyof typeof users>> = {
    'the installation admin': 'installation',
    owner: 'owner',
    admin: 'admin',
    member: 'member',
    viewer: 'viewer',
    'an environment-limited role': 'limited',
    'a custom role without the permission': 'powerless',
    'a user outside the tenant': 'outsider',
    'a member of another tenant': 'foreigner',
  };

  /** Sends one cell's request; returns what is wrong with the answer (nothing when it is as the rule says). */
  async function check(
    w: World,
    cell: Cell,
    token = credential(w, cell),
    user = userOf[cell.caller] && users[userOf[cell.caller]!],
  ): Promise<string[]> {
    const { rule, method, route, caller, outcome } = cell;
    const req = rule.request?.(w, { caller, user }) ?? {};
    const url = `${req.path ?? route}${req.query ?? ''}`;
    if (url.includes('{')) return [`unfilled path ${url}`];
    const res = await http(sys.url, method, url, {
      token,
      body: req.body ?? (['POST', 'PUT'].includes(method) ? {} : undefined),
      // The console routes take only requests from the console's own origin.
      headers: req.headers && { ...req.headers, origin: sys.url },
    });
    const problems: string[] = [];
    const where = `${cell.op} as ${caller} -> ${res.status} ${res.text.slice(0, 160)}`;
    if (outcome === 'allowed') {
      if (res.status >= 300) problems.push(`expected a 2xx: ${where}`);
    } else {
      if (res.status !== outcome) problems.push(`expected ${outcome}: ${where}`);
      const code = res.body?.error?.code as string | undefined;
      const codeOk =
        outcome === 401
          ? code === 'UNAUTHENTICATED'
          : outcome === 403
            ? code === 'FORBIDDEN'
            : /NOT_FOUND$/.test(code ?? '');
      if (!codeOk) problems.push(`wrong error code: ${where}`);
      if (Object.keys(res.body ?? {}).join() !== 'error')
        problems.push(`a refusal carries more than the error: ${where}`);
      if (res.body?.error?.request_id !== res.headers.get('x-request-id')) problems.push(`no request id: ${where}`);
    }
    const allowedToShow = new Set<string>(
      outcome === 'allowed' && res.status < 300 ? (rule.reveals ?? []).map((k) => w.needles[k]) : [],
    );
    const { rawTokens, ...values } = w.needles;
    for (const needle of [...Object.values(values), ...rawTokens])
      if (!allowedToShow.has(needle) && res.text.includes(needle))
        problems.push(`leaks ${needle.slice(0, 16)}…: ${where}`);
    return problems;
  }

  beforeAll(async () => {
    // No proactive refresh: a token refreshed between two digests would look like a change a refusal made.
    sys = await startSystem({ env: { LOCKWELL_CONNECTORS_REFRESH_INTERVAL_MS: '0' } });
    provider = await startTestOidcProvider({ clients: [{ ...CLIENT, redirect_uris: [callbackUrl(sys.url)] }] });
    admin = await adminToken(sys);
    const names = [
      'owner',
      'admin',
      'member',
      'viewer',
      'limited',
      'powerless',
      'outsider',
      'foreigner',
      'bystander',
      'other',
      'installation',
    ] as const;
    // The installation admin of the matrix holds the global role admin; the bootstrap admin only sets up.
    const made = await Promise.all(
      names.map((n) => createUser(sys, admin, n === 'installation' ? { roles: ['admin'] } : {})),
    );
    names.forEach((n, i) => (users[n] = made[i]!));
    for (const service of SERVICES) {
      const client = new pg.Client({ connectionString: sys.databaseUrl(service) });
      await client.connect();
      clients.set(service, client);
    }
    const roleWith = async (permissions: string[]) =>
      (
        await created(
          api().post('/api/v1/roles', { name: `matrix-${randomUUID().slice(0, 8)}`, permissions }, { token: admin }),
          'role',
        )
      ).id as string;
    roles = {
      limited: await roleWith([...MEMBER_PERMISSIONS['an environment-limited role']!]),
      powerless: await roleWith([...MEMBER_PERMISSIONS['a custom role without the permission']!]),
    };
    const adminTokens = {
      'users:read': (await apiTokenOf(users.installation.access_token, { permissions: ['users:read'] }))
        .token as string,
      'roles:manage': (await apiTokenOf(users.installation.access_token, { permissions: ['roles:manage'] }))
        .token as string,
    };
    main = { adminTokens } as World;
    const base = await world(users.owner, roles);
    // The member of another tenant owns one, with a secret in it.
    const elsewhere = await created(
      api().post(
        '/api/v1/tenants',
        { name: `Elsewhere ${randomUUID().slice(0, 6)}` },
        { token: users.foreigner.access_token },
      ),
      'other tenant',
    );
    await created(
      api().post('/api/v1/tenant-secrets', secretBody({ tenant_id: elsewhere.id }), {
        token: users.foreigner.access_token,
      }),
      'other tenant secret',
    );
    // Credentials that once worked: a session of the owner revoked, an API token deleted, one expired.
    const second = await login(sys, users.owner.email, users.owner.password);
    expect(
      (
        await api().delete(`/api/v1/tokens/sessions/${decodeJwt(second.access_token).sid}`, {
          token: users.owner.access_token,
        })
      ).status,
    ).toBe(204);
    const deleted = await apiTokenOf(users.owner.access_token, {
      tenant_id: base.tenantId,
      permissions: ['secrets:read'],
    });
    expect((await api().delete(`/api/v1/tokens/api/${deleted.id}`, { token: users.owner.access_token })).status).toBe(
      204,
    );
    const expiring = await apiTokenOf(users.owner.access_token, {
      tenant_id: base.tenantId,
      permissions: ['secrets:read'],
      expires_at: new Date(Date.now() + 2000).toISOString(),
    });
    const tokens: Partial<Record<Caller, string>> = {
      'an expired access token': await expiredAccessToken(users.owner),
      'an expired API token': expiring.token,
      'a revoked session': second.access_token,
      'a deleted API token': deleted.token,
    };
    for (const [caller, name] of Object.entries(userOf)) tokens[caller as Caller] = users[name].access_token;
    main = {
      ...base,
      tokens,
      needles: {
        ...base.needles,
        rawTokens: [
          ...base.needles.rawTokens,
          ...Object.values(adminTokens),
          deleted.token,
          expiring.token,
          second.refresh_token,
        ],
      },
    };
    // Notifications work in the background on these events (members added, tokens created, secrets to watch):
    // let them settle first, so no digest moves under a refused request.
    const notified = await eventually(async () => {
      const items = (await api().get('/api/v1/notifications', { token: users.owner.access_token })).body.items as {
        id: string;
        kind: string;
      }[];
      return items.some((i) => i.kind === 'token.created') && items.some((i) => i.kind === 'member.added')
        ? items
        : null;
    }, 15_000);
    main.ownerNotificationId = notified[0]!.id;
    await eventually(async () => {
      const { rows } = await clients
        .get('notifications')!
        .query<{ pending: string; watched: string }>(
          `select (select count(*) from notifications where dispatched_at is null) as pending, (select count(*) from watched_secrets) as watched`,
        );
      return rows[0]!.pending === '0' && rows[0]!.watched === '3';
    }, 15_000);
    // The expiring token is past its expiry by now (setup takes longer than two seconds); make sure.
    await eventually(async () => (await api().get('/api/v1/users/me', { token: expiring.token })).status === 401, 5000);
  }, 120_000);
  afterAll(async () => {
    for (const c of clients.values()) await c.end();
    await provider?.stop();
    await sys?.stop();
    console.log(
      `attack matrix: ${checked.refused + checked.allowed} cells checked (${checked.refused} refused, ${checked.allowed} allowed) over ${Object.keys(RULES).length} operations and ${CALLERS.length} callers`,
    );
  });

  it('declares exactly one rule per non-public operation of the OpenAPI document', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(40);
    expect({ withoutRule: ops.filter((op) => !(op in RULES)) }).toEqual({ withoutRule: [] });
    expect({ staleRules: Object.keys(RULES).filter((op) => !ops.includes(op)) }).toEqual({ staleRules: [] });
  });

  it('refuses every caller its rule refuses, with the error envelope alone, and no table of any database changes', async () => {
    const refused = CELLS.filter((c) => c.outcome !== 'allowed');
    expect(new Set(refused.map((c) => c.caller)).size).toBe(CALLERS.length);
    const before = await state();
    const problems: string[] = [];
    await pool(refused, CONCURRENCY, async (cell) => {
      problems.push(...(await check(main, cell)));
      checked.refused++;
    });
    expect(problems).toEqual([]);
    const after = await state();
    expect({ changed: Object.keys(after).filter((t) => after[t] !== before[t]) }).toEqual({ changed: [] });
  }, 180_000);

  it('lets every caller its rule allows through, showing secret values only where the route reveals them', async () => {
    const allowed = CELLS.filter((c) => c.outcome === 'allowed' && !c.rule.fresh);
    const problems: string[] = [];
    await pool(allowed, CONCURRENCY, async (cell) => {
      problems.push(...(await check(main, cell)));
      checked.allowed++;
    });
    expect(problems).toEqual([]);
  }, 180_000);

  it('covers every caller and operation, and its digest does see a write', async () => {
    expect(new Set(CELLS.map((c) => c.op)).size).toBe(Object.keys(RULES).length);
    expect(new Set(CELLS.filter((c) => c.outcome === 'allowed').map((c) => c.caller)).size).toBe(
      CALLERS.length - UNAUTHENTICATED.size - 1,
    );
    const before = await state();
    expect(
      (await clientFor(sys.url).post('/api/v1/user-secrets', secretBody(), { token: users.outsider.access_token }))
        .status,
    ).toBe(201);
    const after = await state();
    expect(Object.keys(after).filter((t) => after[t] !== before[t])).toEqual(
      expect.arrayContaining(['vault.secrets', 'vault.secret_versions']),
    );
  });

  // What ends a session, a tenant, a user or a password goes after everything else of its world.
  const FINAL = [
    'DELETE /api/v1/tenants/{tenant_id}',
    'DELETE /api/v1/tokens/api/{token_id}',
    'DELETE /api/v1/tokens/sessions/{session_id}',
    'DELETE /api/v1/users/{user_id}/sessions',
    'DELETE /api/v1/users/{user_id}',
    'POST /api/v1/users/me/password',
  ];
  const rank = (c: Cell) => (c.rule.fresh === 'target' ? 0 : 2 + FINAL.indexOf(c.op));

  it('lets the allowed callers destroy or change things, each caller on a world of its own', async () => {
    const byCaller = new Map<Caller, Cell[]>();
    for (const cell of CELLS.filter((c) => c.outcome === 'allowed' && c.rule.fresh))
      byCaller.set(cell.caller, [...(byCaller.get(cell.caller) ?? []), cell]);
    expect(byCaller.size).toBeGreaterThan(5);
    const problems: string[] = [];
    await pool([...byCaller.entries()], 3, async ([caller, cells]) => {
      const owner = await createUser(sys, admin);
      const w: World = {
        ...main,
        ...(await world(owner, roles)),
        tokens: { ...main.tokens, owner: owner.access_token },
      };
      const name = userOf[caller];
      const user = name === 'owner' ? owner : name && users[name];
      for (const cell of [...cells].sort((a, b) => rank(a) - rank(b))) {
        // What ends a session or a token gets a credential of its own, so it ends nothing another cell uses.
        const token =
          rank(cell) === 0
            ? credential(w, cell)
            : user
              ? (await login(sys, user.email, user.password)).access_token
              : caller === 'an API token without the permission' && cell.rule.kind !== 'global'
                ? (
                    await apiTokenOf((await login(sys, owner.email, owner.password)).access_token, {
                      tenant_id: w.tenantId,
                      permissions: ['tenant:read'],
                    })
                  ).token
                : credential(w, cell);
        problems.push(...(await check(w, cell, token, user)));
        checked.allowed++;
      }
    });
    expect(problems).toEqual([]);
  }, 300_000);
});
