// Connecting users to third-party services in e2e tests: register a service pointing at a local OpenID provider,
// run the browser part of the authorization-code flow, and read the results.
import { randomBytes } from 'node:crypto';
import type { TestOidcProvider } from '@lockwell/testing/oidc';
import { clientFor, http, type HttpResult } from './http.js';

export const CALLBACK_PATH = '/api/v1/services/oauth/callback';
export const callbackUrl = (gatewayUrl: string) => `${gatewayUrl}${CALLBACK_PATH}`;
/** The one client the local provider knows per test file. */
export const CLIENT = { client_id: 'lockwell-e2e', client_secret: `e2e-secret-${randomBytes(12).toString('hex')}` };

/** Registers a service for `provider` (generic OpenID preset unless `body` says otherwise) and returns its id. */
export async function registerService(
  gatewayUrl: string,
  adminToken: string,
  provider: TestOidcProvider,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await clientFor(gatewayUrl).post(
    '/api/v1/admin/services',
    {
      preset: 'oidc',
      issuer: provider.issuer,
      slug: `svc-${randomBytes(4).toString('hex')}`,
      redirect_uri: callbackUrl(gatewayUrl),
      credentials: CLIENT,
      ...body,
    },
    { token: adminToken },
  );
  if (res.status !== 201) throw new Error(`registering a service failed: ${res.status} ${res.text}`);
  return res.body.id;
}

export interface StartedAuthorization {
  res: HttpResult;
  /** `name=value` of the binding cookie the gateway set (what the user's browser now holds). */
  cookie: string | null;
}

export async function startAuthorization(
  gatewayUrl: string,
  token: string,
  serviceId: string,
  body: Record<string, unknown> = {},
): Promise<StartedAuthorization> {
  const res = await http(gatewayUrl, 'POST', `/api/v1/services/${serviceId}/authorize`, { token, body });
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('__Secure-lockwell-oauth-'));
  return { res, cookie: setCookie ? setCookie.split(';')[0]! : null };
}

/** The browser arriving back from the provider at the callback, with the cookies it holds (redirects not followed). */
export async function completeCallback(
  redirect: URL | string,
  cookie: string | null,
  accept = 'application/json',
): Promise<HttpResult> {
  const res = await fetch(redirect, { redirect: 'manual', headers: { accept, ...(cookie ? { cookie } : {}) } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* a page */
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** The whole flow as one user in one browser; returns the callback's JSON answer. */
export async function connect(
  gatewayUrl: string,
  provider: TestOidcProvider,
  opts: { token: string; serviceId: string; login: string; body?: Record<string, unknown> },
): Promise<HttpResult> {
  const started = await startAuthorization(gatewayUrl, opts.token, opts.serviceId, opts.body);
  if (started.res.status !== 200) throw new Error(`authorize failed: ${started.res.status} ${started.res.text}`);
  const redirect = await provider.signIn(started.res.body.authorization_url, opts.login);
  return completeCallback(redirect, started.cookie);
}

export const tokenOf = (gatewayUrl: string, token: string, connectionId: string, body: Record<string, unknown> = {}) =>
  http(gatewayUrl, 'POST', `/api/v1/services/connections/${connectionId}/token`, { token, body });
