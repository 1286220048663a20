import { definePreset, PLAIN_OAUTH2_QUIRKS } from '../preset.js';

/** Any OpenID Connect provider: endpoints, JWKS and revocation come from the issuer's discovery document. */
export const oidcPreset = definePreset({
  id: 'oidc',
  name: 'OpenID Connect',
  description:
    'Any OpenID Connect provider: give its issuer; endpoints come from its discovery document (OpenID Discovery, RFC 8414).',
  documentation_url: 'https://openid.net/specs/openid-connect-discovery-1_0.html',
  protocol: 'oidc',
  endpoints: { authorization_url: null, token_url: null, revocation_url: null, issuer: null, jwks_uri: null },
  discovery: true,
  params: [],
  scopes: ['openid', 'offline_access'],
  extra_auth_params: { prompt: 'consent' },
  quirks: PLAIN_OAUTH2_QUIRKS,
  behaviour: { expires_in: 'always', sends_iss: true, dead_grant_error: 'invalid_grant', sample_token_fields: {} },
  notes: [
    'offline_access with prompt=consent asks for a refresh token (OpenID Connect Core 1.0 §11).',
    'The token endpoint auth method is the first of client_secret_basic / client_secret_post the provider lists.',
  ],
});
