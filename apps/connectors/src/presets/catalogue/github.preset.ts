import { definePreset } from '../preset.js';

/** GitHub OAuth apps and GitHub Apps (user-to-server tokens). */
export const githubPreset = definePreset({
  id: 'github',
  name: 'GitHub',
  description: 'GitHub OAuth apps and GitHub Apps acting for a user.',
  documentation_url: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps',
  protocol: 'oauth2',
  endpoints: {
    authorization_url: 'https://github.com/login/oauth/authorize',
    token_url: 'https://github.com/login/oauth/access_token',
    revocation_url: null,
    issuer: null,
    jwks_uri: null,
  },
  discovery: false,
  params: [],
  scopes: ['read:user'],
  extra_auth_params: {},
  quirks: {
    token_endpoint_auth_method: 'client_secret_post',
    scope_separator: ' ',
    // Older OAuth apps ignore the challenge, which RFC 6749 §3.1 allows; newer ones check it.
    pkce: true,
    // OAuth-app tokens have no expires_in and do not expire; GitHub Apps with expiring tokens send 8 hours.
    default_lifetime_seconds: null,
    keep_token_fields: [],
    // GitHub answers a bad code or refresh token with HTTP 200 and {"error": "..."}.
    errors_with_status_200: true,
    dead_grant_errors: ['bad_refresh_token', 'bad_verification_code'],
    rotates_refresh_token: true,
  },
  behaviour: {
    expires_in: 'sometimes',
    sends_iss: false,
    dead_grant_error: 'bad_refresh_token',
    sample_token_fields: {},
  },
  notes: [
    'No RFC 7009 endpoint: disconnecting destroys the tokens here; the grant stays listed at github.com/settings/applications until the user revokes it.',
    'Expiring user tokens (GitHub Apps) rotate their refresh token on every refresh.',
  ],
});
