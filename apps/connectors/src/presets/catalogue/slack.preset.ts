import { definePreset } from '../preset.js';

/** Slack apps (OAuth v2), with token rotation turned on for the app. */
export const slackPreset = definePreset({
  id: 'slack',
  name: 'Slack',
  description: 'Slack apps (OAuth v2, bot token) with token rotation.',
  documentation_url: 'https://api.slack.com/authentication/rotation',
  protocol: 'oauth2',
  endpoints: {
    authorization_url: 'https://slack.com/oauth/v2/authorize',
    token_url: 'https://slack.com/api/oauth.v2.access',
    revocation_url: null,
    issuer: null,
    jwks_uri: null,
  },
  discovery: false,
  params: [],
  scopes: ['chat:write', 'channels:read'],
  extra_auth_params: {},
  quirks: {
    token_endpoint_auth_method: 'client_secret_post',
    // Slack joins scopes with commas.
    scope_separator: ',',
    pkce: true,
    default_lifetime_seconds: 43200,
    keep_token_fields: ['team', 'bot_user_id', 'app_id'],
    // Slack answers errors with HTTP 200 and {"ok": false, "error": "..."}.
    errors_with_status_200: true,
    dead_grant_errors: ['invalid_refresh_token', 'token_revoked', 'invalid_code'],
    rotates_refresh_token: true,
  },
  behaviour: {
    expires_in: 'always',
    sends_iss: false,
    dead_grant_error: 'invalid_refresh_token',
    sample_token_fields: { team: { id: 'T0123', name: 'Conformance' }, bot_user_id: 'U0123', app_id: 'A0123' },
  },
  notes: [
    'Token rotation must be enabled for the app; without it Slack tokens do not expire and have no refresh token.',
    'auth.revoke is not RFC 7009: disconnecting destroys the tokens here.',
  ],
});
