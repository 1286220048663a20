import { definePreset } from '../preset.js';

/** Microsoft Entra ID (v2.0 endpoints); the directory tenant is part of every URL. */
export const microsoftPreset = definePreset({
  id: 'microsoft',
  name: 'Microsoft Entra ID',
  description: 'Microsoft Entra ID (Azure AD) v2.0 endpoints, e.g. for Microsoft Graph.',
  documentation_url: 'https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow',
  protocol: 'oauth2',
  endpoints: {
    authorization_url: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
    token_url: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
    revocation_url: null,
    issuer: null,
    jwks_uri: null,
  },
  discovery: false,
  params: [
    {
      name: 'tenant',
      description: 'Directory tenant: its id or domain, or common / organizations / consumers',
      default: 'common',
      pattern: '^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$',
    },
  ],
  // Without openid there is no ID token, whose issuer would differ per user tenant under `common`.
  scopes: ['offline_access', 'https://graph.microsoft.com/User.Read'],
  extra_auth_params: {},
  quirks: {
    token_endpoint_auth_method: 'client_secret_post',
    scope_separator: ' ',
    pkce: true,
    default_lifetime_seconds: 3600,
    keep_token_fields: [],
    errors_with_status_200: false,
    dead_grant_errors: [],
    rotates_refresh_token: true,
  },
  behaviour: { expires_in: 'always', sends_iss: false, dead_grant_error: 'invalid_grant', sample_token_fields: {} },
  notes: [
    'No RFC 7009 endpoint: disconnecting destroys the tokens here; users revoke the grant at myapps.microsoft.com.',
  ],
});
