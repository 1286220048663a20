import { definePreset } from '../preset.js';

/** Atlassian Cloud (Jira, Confluence) OAuth 2.0 (3LO) apps. */
export const atlassianPreset = definePreset({
  id: 'atlassian',
  name: 'Atlassian',
  description: 'Atlassian Cloud (Jira, Confluence) OAuth 2.0 (3LO) apps with rotating refresh tokens.',
  documentation_url: 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/',
  protocol: 'oauth2',
  endpoints: {
    authorization_url: 'https://auth.atlassian.com/authorize',
    token_url: 'https://auth.atlassian.com/oauth/token',
    revocation_url: null,
    issuer: null,
    jwks_uri: null,
  },
  discovery: false,
  params: [],
  scopes: ['offline_access', 'read:me'],
  // `audience` names the API; `prompt=consent` is required by Atlassian.
  extra_auth_params: { audience: 'api.atlassian.com', prompt: 'consent' },
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
    'Refresh tokens rotate; reusing an old one fails with invalid_grant.',
    'No RFC 7009 endpoint: disconnecting destroys the tokens here.',
  ],
});
