import { definePreset } from '../preset.js';

/** Google (OpenID Connect); offline access and consent are what make Google issue a refresh token. */
export const googlePreset = definePreset({
  id: 'google',
  name: 'Google',
  description: 'Google APIs and Sign-In (OpenID Connect), with offline access for a refresh token.',
  documentation_url: 'https://developers.google.com/identity/protocols/oauth2/web-server',
  protocol: 'oidc',
  endpoints: {
    authorization_url: 'https://accounts.google.com/o/oauth2/v2/auth',
    token_url: 'https://oauth2.googleapis.com/token',
    revocation_url: 'https://oauth2.googleapis.com/revoke',
    issuer: 'https://accounts.google.com',
    jwks_uri: 'https://www.googleapis.com/oauth2/v3/certs',
  },
  discovery: false,
  params: [],
  scopes: ['openid', 'email'],
  // Without access_type=offline there is no refresh token; without prompt=consent only the first grant has one.
  extra_auth_params: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
  quirks: {
    token_endpoint_auth_method: 'client_secret_post',
    scope_separator: ' ',
    pkce: true,
    default_lifetime_seconds: 3600,
    keep_token_fields: [],
    errors_with_status_200: false,
    dead_grant_errors: [],
    rotates_refresh_token: false,
  },
  behaviour: { expires_in: 'always', sends_iss: true, dead_grant_error: 'invalid_grant', sample_token_fields: {} },
  notes: ['Refresh tokens do not rotate; a refresh response keeps the old one, which the broker keeps too.'],
});
