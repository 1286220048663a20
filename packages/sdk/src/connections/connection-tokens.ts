// Brokered OAuth access tokens (docs/api.md "Third-party services"): the connectors service keeps the refresh token and
// hands out a valid access token, refreshing first when it is near expiry. Typed from the generated client.
import type { Client } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { unwrap } from '../http/unwrap.js';

const TOKEN_ROUTE = '/api/v1/services/connections/{connection_id}/token';

/**
 * `{access_token, token_type, expires_at, scopes, extra}`: `expires_at` is RFC 3339, or null when the provider's
 * tokens do not expire; `scopes` are what the provider granted; `extra` holds the fields the service's preset
 * keeps from the token response (e.g. Salesforce's `instance_url`).
 */
export type ConnectionToken = paths[typeof TOKEN_ROUTE]['post']['responses'][200]['content']['application/json'];

export interface ConnectionTokenOptions {
  /** Scopes the caller needs: the server refuses with INSUFFICIENT_SCOPE unless the grant holds them all. */
  scopes?: string[];
}

export class ConnectionTokens {
  constructor(private readonly api: Client<paths>) {}

  get(connectionId: string, options: ConnectionTokenOptions = {}): Promise<ConnectionToken> {
    return unwrap(
      this.api.POST(TOKEN_ROUTE, {
        params: { path: { connection_id: connectionId } },
        body: options.scopes ? { scopes: options.scopes } : {},
      }),
    );
  }
}
