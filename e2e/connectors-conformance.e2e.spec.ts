// The conformance kit of docs/connectors.md "Adding a connector": for EVERY registered preset, a local OpenID
// provider is made to behave as the preset says its provider does (auth method, scope separator, PKCE, missing
// expires_in, extra token fields, errors with HTTP 200, its code for a dead grant, rotation, RFC 9207 `iss`), a
// service is created from the preset with its endpoints pointed at that provider, and the whole flow runs:
// authorize, callback, token, expiry and refresh, rotation, the proactive scheduler, a dead grant, revocation.
// A new preset is in PRESETS, so it runs here too, and fails until the broker handles what it declares.
// All presets go through each step together, so the waits for expiry are paid once.
import { randomUUID } from 'node:crypto';
import { eventually, readStream } from '@lockwell/testing';
import { startTestOidcProvider, type TestOidcProvider } from '@lockwell/testing/oidc';
import { PRESETS } from '../apps/connectors/src/presets/preset-registry.js';
import type { PresetDefinition } from '../apps/connectors/src/presets/preset.js';
import { adminToken, createUser, type CreatedUser } from './support/auth.js';
import { callbackUrl, CLIENT, connect, tokenOf } from './support/connectors.js';
import { clientFor } from './support/http.js';
import { startSystem, type TestSystem } from './support/system.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// The longest lifetime the issue allows (2-5 s): the most slack for a loaded machine between a hand-out and its introspection.
const TTL_S = 5;

interface Case {
  preset: PresetDefinition;
  provider: TestOidcProvider;
  serviceId: string;
  login: string;
  connectionId: string;
  accessToken: string;
}

/** The service an administrator would create from the preset, with every endpoint on the local provider. */
function serviceBody(
  preset: PresetDefinition,
  provider: TestOidcProvider,
  gatewayUrl: string,
): Record<string, unknown> {
  const endpoints = preset.discovery
    ? { issuer: provider.issuer }
    : {
        authorization_url: `${provider.issuer}/auth`,
        token_url: `${provider.issuer}/token`,
        ...(preset.endpoints.revocation_url ? { revocation_url: `${provider.issuer}/token/revocation` } : {}),
        ...(preset.protocol === 'oidc' ? { issuer: provider.issuer, jwks_uri: `${provider.issuer}/jwks` } : {}),
      };
  return {
    preset: preset.id,
    slug: `kit-${preset.id}`,
    redirect_uri: callbackUrl(gatewayUrl),
    credentials: CLIENT,
    ...endpoints,
    // The generic OAuth 2.0 preset has no scopes of its own; an administrator gives some.
    ...(preset.scopes.length ? {} : { scopes: ['profile'] }),
    // A provider that never sends expires_in: the preset's default lifetime, shortened so the kit sees it lapse.
    ...(preset.behaviour.expires_in === 'never' ? { quirks: { default_lifetime_seconds: TTL_S } } : {}),
  };
}

describe('conformance kit: every preset through the whole flow', () => {
  let sys: TestSystem;
  let api: ReturnType<typeof clientFor>;
  let user: CreatedUser;
  const cases: Case[] = [];
  const each = <T>(run: (c: Case) => Promise<T>) => Promise.all(cases.map(run));

  beforeAll(async () => {
    sys = await startSystem({ env: { LOCKWELL_CONNECTORS_REFRESH_INTERVAL_MS: '400' } });
    api = clientFor(sys.url);
    const admin = await adminToken(sys);
    user = await createUser(sys, admin);
    for (const preset of PRESETS) {
      const provider = await startTestOidcProvider({
        clients: [
          {
            ...CLIENT,
            redirect_uris: [callbackUrl(sys.url)],
            token_endpoint_auth_method: preset.quirks.token_endpoint_auth_method,
          },
        ],
        accessTokenTtlSeconds: TTL_S,
        rotateRefreshTokens: preset.quirks.rotates_refresh_token,
        pkceRequired: preset.quirks.pkce,
        scopes: preset.scopes.length ? preset.scopes : ['profile'],
        emulate: {
          scopeSeparator: preset.quirks.scope_separator,
          omitExpiresIn: preset.behaviour.expires_in === 'never',
          extraTokenFields: preset.behaviour.sample_token_fields,
          errorsWithStatus200: preset.quirks.errors_with_status_200,
          deadGrantError: preset.behaviour.dead_grant_error,
          sendIss: preset.behaviour.sends_iss,
        },
      });
      const res = await api.post('/api/v1/admin/services', serviceBody(preset, provider, sys.url), { token: admin });
      expect({ preset: preset.id, status: res.status, ready: res.body.ready }).toEqual({
        preset: preset.id,
        status: 201,
        ready: true,
      });
      cases.push({
        preset,
        provider,
        serviceId: res.body.id,
        login: `kit-${preset.id}-${randomUUID().slice(0, 8)}`,
        connectionId: '',
        accessToken: '',
      });
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all(cases.map((c) => c.provider.stop()));
    await sys?.stop();
  });

  it('covers every registered preset', () => {
    expect(cases.map((c) => c.preset.id).sort()).toEqual(PRESETS.map((p) => p.id).sort());
    expect(PRESETS.length).toBeGreaterThanOrEqual(8);
  });

  it('authorizes as the preset says (scope separator, PKCE, nonce, extra parameters) and connects', async () => {
    await each(async (c) => {
      const done = await connect(sys.url, c.provider, {
        token: user.access_token,
        serviceId: c.serviceId,
        login: c.login,
      });
      expect({ preset: c.preset.id, status: done.status, outcome: done.body.status }).toEqual({
        preset: c.preset.id,
        status: 200,
        outcome: 'connected',
      });
      c.connectionId = done.body.connection.id;
      const sent = c.provider.authorizationRequests.at(-1)!;
      expect({ preset: c.preset.id, pkce: sent.get('code_challenge_method'), nonce: sent.has('nonce') }).toEqual({
        preset: c.preset.id,
        pkce: c.preset.quirks.pkce ? 'S256' : null,
        nonce: c.preset.protocol === 'oidc',
      });
      for (const [name, value] of Object.entries(c.preset.extra_auth_params))
        expect({ preset: c.preset.id, name, value: sent.get(name) }).toEqual({ preset: c.preset.id, name, value });
    });
  });

  it('hands out an access token the provider calls active, with the kept token fields, authenticating as the preset says', async () => {
    await each(async (c) => {
      const res = await tokenOf(sys.url, user.access_token, c.connectionId);
      expect({ preset: c.preset.id, status: res.status }).toEqual({ preset: c.preset.id, status: 200 });
      c.accessToken = res.body.access_token;
      expect({ preset: c.preset.id, active: (await c.provider.introspect(c.accessToken)).active }).toEqual({
        preset: c.preset.id,
        active: true,
      });
      const kept = Object.fromEntries(
        c.preset.quirks.keep_token_fields.map((f) => [f, c.preset.behaviour.sample_token_fields[f]]),
      );
      expect({ preset: c.preset.id, extra: res.body.extra }).toEqual({ preset: c.preset.id, extra: kept });
      expect(res.body.expires_at).not.toBeNull();
      const auth = { client_secret_basic: 'basic', client_secret_post: 'post', none: 'none' }[
        c.preset.quirks.token_endpoint_auth_method
      ];
      expect({ preset: c.preset.id, auth: [...new Set(c.provider.tokenRequests.map((r) => r.client_auth))] }).toEqual({
        preset: c.preset.id,
        auth: [auth],
      });
    });
  });

  it('refreshes past expiry, twice (a rotated refresh token was stored, or the second would kill the grant)', async () => {
    for (let round = 0; round < 2; round++) {
      await sleep(TTL_S * 1000 + 300);
      await each(async (c) => {
        const res = await tokenOf(sys.url, user.access_token, c.connectionId);
        expect({
          preset: c.preset.id,
          round,
          status: res.status,
          fresh: res.body.access_token !== c.accessToken,
        }).toEqual({ preset: c.preset.id, round, status: 200, fresh: true });
        expect({
          preset: c.preset.id,
          round,
          active: (await c.provider.introspect(res.body.access_token)).active,
        }).toEqual({ preset: c.preset.id, round, active: true });
        c.accessToken = res.body.access_token;
      });
    }
    await each(async (c) => {
      const refreshes = c.provider.tokenRequests.filter((r) => r.grant_type === 'refresh_token');
      expect({
        preset: c.preset.id,
        failed: refreshes.filter((r) => r.status !== 200).length,
        enough: refreshes.length >= 2,
      }).toEqual({ preset: c.preset.id, failed: 0, enough: true });
    });
  });

  it('refreshes proactively, before anyone asks (the scheduler at about 80% of the lifetime)', async () => {
    const before = new Map(cases.map((c) => [c.preset.id, c.provider.refreshGrants()]));
    await sleep(TTL_S * 1000 + 500);
    for (const c of cases)
      expect({ preset: c.preset.id, proactive: c.provider.refreshGrants() > before.get(c.preset.id)! }).toEqual({
        preset: c.preset.id,
        proactive: true,
      });
    await each(async (c) => {
      const res = await tokenOf(sys.url, user.access_token, c.connectionId);
      expect({ preset: c.preset.id, active: (await c.provider.introspect(res.body.access_token)).active }).toEqual({
        preset: c.preset.id,
        active: true,
      });
    });
  });

  it('disconnects: revokes at the provider where the preset has RFC 7009, destroys the tokens everywhere', async () => {
    await each(async (c) => {
      const { body: token } = await tokenOf(sys.url, user.access_token, c.connectionId);
      const res = await api.delete(`/api/v1/services/connections/${c.connectionId}`, { token: user.access_token });
      const revocable = c.preset.endpoints.revocation_url !== null || c.preset.discovery;
      expect({ preset: c.preset.id, status: res.status, revocation: res.body.provider_revocation }).toEqual({
        preset: c.preset.id,
        status: 200,
        revocation: revocable ? 'revoked' : 'not_supported',
      });
      if (revocable)
        expect({ preset: c.preset.id, active: (await c.provider.introspect(token.access_token)).active }).toEqual({
          preset: c.preset.id,
          active: false,
        });
      expect({
        preset: c.preset.id,
        code: (await tokenOf(sys.url, user.access_token, c.connectionId)).body.error.code,
      }).toEqual({ preset: c.preset.id, code: 'CONNECTION_REAUTH_REQUIRED' });
    });
  });

  it("turns the provider's dead-grant answer (in its own words) into refresh_failed with one event", async () => {
    await each(async (c) => {
      const login = `${c.login}-dead`;
      const done = await connect(sys.url, c.provider, { token: user.access_token, serviceId: c.serviceId, login });
      expect({ preset: c.preset.id, status: done.status }).toEqual({ preset: c.preset.id, status: 200 });
      c.connectionId = done.body.connection.id;
      c.provider.revokeAccount(login);
    });
    await sleep(TTL_S * 1000 + 300);
    await each(async (c) => {
      const res = await tokenOf(sys.url, user.access_token, c.connectionId);
      expect({ preset: c.preset.id, status: res.status, code: res.body.error?.code }).toEqual({
        preset: c.preset.id,
        status: 409,
        code: 'CONNECTION_REAUTH_REQUIRED',
      });
    });
    const events = await eventually(async () => {
      const all = await readStream<{ data: { connection_id: string; reason: string } }>(
        sys.nats,
        'LOCKWELL_EVENTS',
        'evt.connectors.connection.refresh-failed',
      );
      const mine = all.filter((m) => cases.some((c) => c.connectionId === m.body.data.connection_id));
      return mine.length >= cases.length ? mine : null;
    });
    for (const c of cases) {
      const own = events.filter((e) => e.body.data.connection_id === c.connectionId);
      expect({ preset: c.preset.id, events: own.length, reason: own[0]?.body.data.reason }).toEqual({
        preset: c.preset.id,
        events: 1,
        reason: c.preset.behaviour.dead_grant_error,
      });
    }
  });
});
