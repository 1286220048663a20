import { definePreset } from '../preset.js';

/** Salesforce connected apps; the token response names the org's instance URL, which API calls need. */
export const salesforcePreset = definePreset({
  id: 'salesforce',
  name: 'Salesforce',
  description: 'Salesforce connected apps; tokens come with the instance URL to call.',
  documentation_url: 'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm',
  protocol: 'oauth2',
  endpoints: {
    authorization_url: 'https://{domain}/services/oauth2/authorize',
    token_url: 'https://{domain}/services/oauth2/token',
    revocation_url: 'https://{domain}/services/oauth2/revoke',
    issuer: null,
    jwks_uri: null,
  },
  discovery: false,
  params: [
    {
      name: 'domain',
      description: 'login.salesforce.com, test.salesforce.com (sandboxes) or the My Domain host',
      default: 'login.salesforce.com',
      pattern: '^[a-z0-9-]+(\\.[a-z0-9-]+)*\\.(salesforce\\.com|force\\.com)$',
    },
  ],
  scopes: ['api', 'refresh_token'],
  extra_auth_params: {},
  quirks: {
    token_endpoint_auth_method: 'client_secret_post',
    scope_separator: ' ',
    pkce: true,
    // Salesforce sends no expires_in; sessions last two hours unless the org says otherwise.
    default_lifetime_seconds: 7200,
    keep_token_fields: ['instance_url', 'id'],
    errors_with_status_200: false,
    dead_grant_errors: [],
    rotates_refresh_token: false,
  },
  behaviour: {
    expires_in: 'never',
    sends_iss: false,
    dead_grant_error: 'invalid_grant',
    sample_token_fields: {
      instance_url: 'https://conformance.my.salesforce.com',
      id: 'https://login.salesforce.com/id/00D000000000001/005000000000001',
    },
  },
  notes: ['Set default_lifetime_seconds to the org session timeout if it is not two hours.'],
});
