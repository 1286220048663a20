// Authentication helpers for e2e tests: log in, get the bootstrap admin's token, create users.
import { randomBytes } from 'node:crypto';
import { clientFor } from './http.js';
import { ADMIN, type TestSystem } from './system.js';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

export interface CreatedUser extends TokenPair {
  id: string;
  email: string;
  password: string;
}

/** Logs in through the gateway; throws with the status and error code when it fails. */
export async function login(sys: TestSystem, email: string, password: string): Promise<TokenPair> {
  const res = await clientFor(sys.url).post('/api/v1/auth/login', { email, password });
  if (res.status !== 200)
    throw new Error(`login of ${email} failed: ${res.status} ${res.body?.error?.code ?? res.text}`);
  return { access_token: res.body.access_token, refresh_token: res.body.refresh_token };
}

/** A fresh access token of the bootstrap administrator. */
export async function adminToken(sys: TestSystem): Promise<string> {
  return (await login(sys, ADMIN.email, ADMIN.password)).access_token;
}

/**
 * Creates a user through POST /api/v1/users (as `adminToken`) and logs them in. Defaults: a unique email,
 * a strong password, global role `member`. `roles` takes role ids or names.
 */
export async function createUser(
  sys: TestSystem,
  adminAccessToken: string,
  opts: { email?: string; password?: string; full_name?: string; roles?: string[] } = {},
): Promise<CreatedUser> {
  const suffix = randomBytes(5).toString('hex');
  const email = opts.email ?? `user-${suffix}@lockwell.test`;
  const password = opts.password ?? `pw-${randomBytes(12).toString('base64url')}`;
  const body: Record<string, unknown> = { email, password, full_name: opts.full_name ?? `User ${suffix}` };
  if (opts.roles) body.roles = opts.roles;
  const res = await clientFor(sys.url).post('/api/v1/users', body, { token: adminAccessToken });
  if (res.status !== 201)
    throw new Error(`creating ${email} failed: ${res.status} ${res.body?.error?.code ?? res.text}`);
  const tokens = await login(sys, email, password);
  return { id: res.body.id, email, password, ...tokens };
}

/** Adds `userId` to the tenant with `role` as `ownerToken` (an owner or admin); throws unless it answers 201. */
export async function addMember(
  sys: TestSystem,
  ownerToken: string,
  tenantId: string,
  userId: string,
  role = 'member',
): Promise<void> {
  const res = await clientFor(sys.url).post(
    `/api/v1/tenants/${tenantId}/members`,
    { user_id: userId, role },
    { token: ownerToken },
  );
  if (res.status !== 201)
    throw new Error(`adding ${userId} to ${tenantId} failed: ${res.status} ${res.body?.error?.code ?? res.text}`);
}
