import { ProviderError, type DiscoveredEndpoints } from '../oauth/oauth-client.port.js';
import { resolveServiceConfig, type ServiceConfigDeps } from './service-config.js';

const found: DiscoveredEndpoints = {
  issuer: 'https://id.example.test',
  authorization_url: 'https://id.example.test/auth',
  token_url: 'https://id.example.test/token',
  revocation_url: 'https://id.example.test/revoke',
  jwks_uri: 'https://id.example.test/jwks',
  token_endpoint_auth_methods: ['client_secret_post'],
};
const deps = (over: Partial<ServiceConfigDeps> = {}): ServiceConfigDeps => ({
  allowLoopbackHttp: false,
  defaultRedirectUri: 'https://lockwell.example.test/api/v1/services/oauth/callback',
  discover: async () => found,
  ...over,
});
const failure = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: { code?: string; details?: { field?: string }[] }) => `${err.code}:${err.details?.[0]?.field ?? ''}`,
  );

describe('resolveServiceConfig', () => {
  it("takes a preset's endpoints and quirks, filling its URL templates", async () => {
    const c = await resolveServiceConfig(
      'microsoft',
      null,
      { preset_params: { tenant: 'contoso.onmicrosoft.com' } },
      deps(),
    );
    expect(c).toMatchObject({
      preset: 'microsoft',
      protocol: 'oauth2',
      authorization_url: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
      redirect_uri: null,
    });
    expect(c.quirks.token_endpoint_auth_method).toBe('client_secret_post');
  });

  it('lets explicit fields and quirks win over the preset', async () => {
    const c = await resolveServiceConfig(
      'salesforce',
      null,
      { token_url: 'https://t.example.test/token', quirks: { default_lifetime_seconds: 5 } },
      deps(),
    );
    expect(c.token_url).toBe('https://t.example.test/token');
    expect(c.quirks).toMatchObject({ default_lifetime_seconds: 5, keep_token_fields: ['instance_url', 'id'] });
  });

  it('discovers the endpoints of an OpenID issuer and picks a client auth method it supports', async () => {
    const c = await resolveServiceConfig('oidc', null, { issuer: 'https://id.example.test' }, deps());
    expect(c).toMatchObject({
      protocol: 'oidc',
      token_url: 'https://id.example.test/token',
      revocation_url: 'https://id.example.test/revoke',
      jwks_uri: 'https://id.example.test/jwks',
    });
    expect(c.quirks.token_endpoint_auth_method).toBe('client_secret_post');
  });

  it('refuses what it cannot use: no endpoints, http off loopback, reserved parameters, an unknown preset, a dead issuer', async () => {
    expect(await failure(resolveServiceConfig(null, null, { scopes: ['x'] }, deps()))).toBe(
      'VALIDATION_FAILED:authorization_url',
    );
    expect(
      await failure(
        resolveServiceConfig(
          null,
          null,
          { authorization_url: 'http://127.0.0.1:1/a', token_url: 'https://x.test/t' },
          deps(),
        ),
      ),
    ).toBe('VALIDATION_FAILED:authorization_url');
    expect(
      await failure(
        resolveServiceConfig('github', null, { extra_auth_params: { redirect_uri: 'https://evil.test' } }, deps()),
      ),
    ).toBe('VALIDATION_FAILED:extra_auth_params');
    expect(await failure(resolveServiceConfig('nope', null, {}, deps()))).toBe('VALIDATION_FAILED:preset');
    expect(await failure(resolveServiceConfig('github', null, {}, deps({ defaultRedirectUri: null })))).toBe(
      'VALIDATION_FAILED:redirect_uri',
    );
    const down = deps({ discover: async () => Promise.reject(new ProviderError('unavailable', null, 'down')) });
    expect(await failure(resolveServiceConfig('oidc', null, { issuer: 'https://id.example.test' }, down))).toBe(
      'PROVIDER_UNAVAILABLE:',
    );
    const junk = deps({ discover: async () => Promise.reject(new ProviderError('invalid', null, 'junk')) });
    expect(await failure(resolveServiceConfig('oidc', null, { issuer: 'https://id.example.test' }, junk))).toBe(
      'VALIDATION_FAILED:issuer',
    );
  });

  it('accepts loopback http endpoints in local runs only', async () => {
    const local = {
      authorization_url: 'http://127.0.0.1:9400/auth',
      token_url: 'http://127.0.0.1:9400/token',
      scopes: ['x'],
    };
    expect((await resolveServiceConfig(null, null, local, deps({ allowLoopbackHttp: true }))).token_url).toBe(
      'http://127.0.0.1:9400/token',
    );
    expect(await failure(resolveServiceConfig(null, null, local, deps()))).toBe('VALIDATION_FAILED:authorization_url');
  });
});
