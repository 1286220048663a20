import { definePreset, PLAIN_OAUTH2_QUIRKS } from '../preset.js';

/** Any RFC 6749 provider: the administrator gives the endpoints and scopes. */
export const oauth2Preset = definePreset({
  id: 'oauth2',
  name: 'OAuth 2.0',
  description: 'Any OAuth 2.0 provider (RFC 6749) with the authorization-code flow: give its endpoints and scopes.',
  documentation_url: 'https://www.rfc-editor.org/rfc/rfc6749',
  protocol: 'oauth2',
  endpoints: { authorization_url: null, token_url: null, revocation_url: null, issuer: null, jwks_uri: null },
  discovery: false,
  params: [],
  scopes: [],
  extra_auth_params: {},
  quirks: PLAIN_OAUTH2_QUIRKS,
  behaviour: { expires_in: 'always', sends_iss: false, dead_grant_error: 'invalid_grant', sample_token_fields: {} },
  notes: [
    'Revocation at disconnect only when revocation_url (RFC 7009) is given.',
    'Tokens without expires_in are assumed to live an hour (quirks.default_lifetime_seconds).',
  ],
});
