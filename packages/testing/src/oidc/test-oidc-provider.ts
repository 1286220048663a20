import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { MapStore } from './map-adapter.js';

export interface TestOidcClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/**
 * How a real provider deviates from oidc-provider's standard behaviour, emulated with Koa middleware so one
 * local provider can stand in for GitHub, Slack or Salesforce in the conformance kit.
 */
export interface ProviderEmulation {
  /** Scopes arrive joined with this (Slack: ','); a request joined otherwise is refused (invalid_scope). */
  scopeSeparator?: ' ' | ',';
  /** Token responses carry no expires_in (Salesforce). */
  omitExpiresIn?: boolean;
  /** Fields added to every successful token response (Salesforce's instance_url, Slack's team). */
  extraTokenFields?: Record<string, unknown>;
  /** Token errors come back with HTTP 200 (GitHub, Slack). */
  errorsWithStatus200?: boolean;
  /** The code a dead refresh token gets instead of invalid_grant (GitHub: bad_refresh_token). */
  deadGrantError?: string;
  /** Authorization responses carry `iss` (RFC 9207); default true, as oidc-provider does. */
  sendIss?: boolean;
}

export interface TestOidcProviderOptions {
  clients: TestOidcClient[];
  /** 127.0.0.1 port; a free one by default. */
  port?: number;
  /** Access-token lifetime (the issue asks for 2–5 s in tests). */
  accessTokenTtlSeconds?: number;
  rotateRefreshTokens?: boolean;
  pkceRequired?: boolean;
  /** Scopes it knows besides openid, offline_access, email and profile (a preset's, for the kit). */
  scopes?: string[];
  emulate?: ProviderEmulation;
}

export interface TokenRequestRecord {
  grant_type: string;
  status: number;
  /** `basic` when the client authenticated with HTTP Basic, `post` with client_secret in the body. */
  client_auth: 'basic' | 'post' | 'none';
}

export interface TestOidcProvider {
  issuer: string;
  /** Every authorization request as received (after emulation), to check what the client sent. */
  readonly authorizationRequests: URLSearchParams[];
  /** Every token request and its outcome: count refresh grants here. */
  readonly tokenRequests: TokenRequestRecord[];
  /** Successful refresh grants (oidc-provider's own `grant.success` events). */
  refreshGrants(): number;
  /** Runs the browser part of an authorization: dev login as `login`, consent; returns the redirect to the client, not followed. */
  signIn(authorizationUrl: string, login: string): Promise<URL>;
  /** RFC 7662 introspection, as a resource server of this provider would ask. */
  introspect(token: string): Promise<{ active: boolean; [claim: string]: unknown }>;
  /** The account owner removes the app at the provider: every grant and token of `login` dies. */
  revokeAccount(login: string): number;
  /**
   * Runs after the provider has decided a token request (a refresh grant has rotated the refresh token by then)
   * and before the answer leaves: a test injects a fault at exactly that moment (e.g. stops the vault).
   */
  onTokenResponse?: (grantType: string, status: number) => Promise<void> | void;
  stop(): Promise<void>;
}

const INTROSPECTOR = {
  client_id: 'lockwell-test-introspector',
  client_secret: 'introspector-secret-0123456789abcdef0123',
};

/**
 * A real OpenID provider (oidc-provider 9) on 127.0.0.1 for tests and `npm run dev:oidc`: PKCE S256 required,
 * rotating refresh tokens with reuse detection, short-lived access tokens, revocation and introspection on, and
 * the dev login and consent forms, which `signIn` fills in like a user would.
 */
export async function startTestOidcProvider(opts: TestOidcProviderOptions): Promise<TestOidcProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = new MapStore();
  const emulate = opts.emulate ?? {};
  const provider = quietly(
    () =>
      new Provider(issuer, {
        jwks: {
          keys: [
            {
              ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
              kid: 'test-signing-key',
              alg: 'RS256',
              use: 'sig',
            },
          ] as never[],
        },
        adapter: (name: string) => store.adapterFor(name),
        clients: [
          ...opts.clients.map((c) => ({
            client_id: c.client_id,
            ...(c.client_secret ? { client_secret: c.client_secret } : {}),
            redirect_uris: c.redirect_uris,
            response_types: ['code' as const],
            grant_types: ['authorization_code', 'refresh_token'],
            token_endpoint_auth_method:
              c.token_endpoint_auth_method ?? (c.client_secret ? 'client_secret_basic' : 'none'),
          })),
          { ...INTROSPECTOR, redirect_uris: [], response_types: [] as 'code'[], grant_types: [] },
        ],
        cookies: { keys: ['lockwell-test-oidc-cookie-key'] },
        findAccount: async (_ctx, sub) => ({
          accountId: sub,
          claims: async () => ({ sub, email: `${sub}@example.test` }),
        }),
        claims: { openid: ['sub'], email: ['email'] },
        scopes: ['openid', 'offline_access', 'email', 'profile', ...(opts.scopes ?? [])],
        features: {
          devInteractions: { enabled: true },
          // The introspector is the test's resource server: it may ask about any token. Clients revoke only their own.
          introspection: {
            enabled: true,
            allowedPolicy: async (_ctx, client) => client.clientId === INTROSPECTOR.client_id,
          },
          revocation: {
            enabled: true,
            allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
          },
        },
        pkce: { required: () => opts.pkceRequired ?? true },
        rotateRefreshToken: opts.rotateRefreshTokens ?? true,
        // Plain OAuth 2.0 clients get refresh tokens too, not only OpenID requests with offline_access.
        issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
        ttl: {
          AccessToken: opts.accessTokenTtlSeconds ?? 3,
          AuthorizationCode: 60,
          RefreshToken: 86_400,
          IdToken: 300,
          Interaction: 600,
          Session: 3600,
          Grant: 86_400,
        },
      }),
  );
  const redirectUris = opts.clients.flatMap((c) => c.redirect_uris);
  const tokenRequests: TokenRequestRecord[] = [];
  const authorizationRequests: URLSearchParams[] = [];
  let refreshGrants = 0;
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    if ((ctx.oidc.params as { grant_type?: string } | undefined)?.grant_type === 'refresh_token') refreshGrants++;
  });
  provider.use(async (ctx, next) => {
    if (ctx.path === '/auth' && ctx.method === 'GET') {
      const query = new URLSearchParams(ctx.querystring);
      const scope = query.get('scope');
      const other = emulate.scopeSeparator === ',' ? ' ' : ',';
      if (
        scope !== null &&
        emulate.scopeSeparator &&
        scope.includes(other) &&
        !scope.includes(emulate.scopeSeparator)
      ) {
        ctx.status = 400;
        ctx.body = {
          error: 'invalid_scope',
          error_description: `scopes must be joined with "${emulate.scopeSeparator}"`,
        };
        return;
      }
      if (scope !== null && emulate.scopeSeparator === ',') query.set('scope', scope.split(',').join(' '));
      authorizationRequests.push(new URLSearchParams(query));
      ctx.querystring = query.toString();
    }
    const isToken = ctx.path === '/token' && ctx.method === 'POST';
    await next();
    if (isToken) {
      const form = ctx.oidc?.body as Record<string, unknown> | undefined;
      const params = ctx.oidc?.params as { grant_type?: string } | undefined;
      const body = ctx.body as Record<string, unknown> | undefined;
      const clientAuth = String(ctx.get('authorization')).startsWith('Basic ')
        ? 'basic'
        : form?.client_secret
          ? 'post'
          : 'none';
      tokenRequests.push({ grant_type: params?.grant_type ?? 'unknown', status: ctx.status, client_auth: clientAuth });
      await handle.onTokenResponse?.(params?.grant_type ?? 'unknown', ctx.status);
      if (body && typeof body === 'object') {
        if (ctx.status === 200) {
          if (emulate.omitExpiresIn) delete body.expires_in;
          Object.assign(body, emulate.extraTokenFields ?? {});
        } else if (typeof body.error === 'string') {
          if (body.error === 'invalid_grant' && params?.grant_type === 'refresh_token' && emulate.deadGrantError)
            body.error = emulate.deadGrantError;
          if (emulate.errorsWithStatus200) ctx.status = 200;
        }
      }
    }
    // RFC 9207: strip `iss` from the redirect back to the client for providers that do not send it.
    const location = ctx.response.get('location');
    if (emulate.sendIss === false && location && redirectUris.some((u) => location.startsWith(u))) {
      const url = new URL(location);
      url.searchParams.delete('iss');
      ctx.set('location', url.href);
    }
  });
  server.on('request', provider.callback());

  const handle: TestOidcProvider = {
    issuer,
    authorizationRequests,
    tokenRequests,
    refreshGrants: () => refreshGrants,
    signIn: (authorizationUrl, login) => signIn(authorizationUrl, login, redirectUris),
    async introspect(token) {
      const res = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${INTROSPECTOR.client_id}:${INTROSPECTOR.client_secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token }),
      });
      if (res.status !== 200) throw new Error(`introspection answered ${res.status}`);
      return (await res.json()) as { active: boolean };
    },
    revokeAccount: (login) => store.revokeAccount(login),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return handle;
}

// oidc-provider warns on the console that its dev login forms are on: intended here, and noise in test output.
function quietly<T>(build: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('oidc-provider WARNING')) warn(...args);
  };
  try {
    return build();
  } finally {
    console.warn = warn;
  }
}

/**
 * A minimal browser: its own cookie jar for the provider, manual redirects, and the dev interaction forms
 * (login with any password, then consent) submitted as a user would. Stops at the redirect to the client.
 */
async function signIn(authorizationUrl: string, login: string, redirectUris: string[]): Promise<URL> {
  const jar = new Map<string, string>();
  const browse = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const setCookie of res.headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(setCookie)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  let url = authorizationUrl;
  for (let hop = 0; hop < 20; hop++) {
    if (redirectUris.some((u) => url.startsWith(u))) return new URL(url);
    const res = await browse(url);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const html = await res.text();
    const action = html.match(/action="([^"]+)"/)?.[1];
    const prompt = html.match(/name="prompt" value="([^"]+)"/)?.[1];
    if (!action || !prompt)
      throw new Error(`the provider answered ${res.status} without a form: ${html.slice(0, 300)}`);
    const body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
    const post = await browse(new URL(action, url).href, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    url = new URL(post.headers.get('location')!, url).href;
  }
  throw new Error('too many redirects during sign-in');
}
