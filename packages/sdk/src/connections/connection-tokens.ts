// Brokered OAuth access tokens (docs/api.md "Third-party services"): the connectors service keeps the refresh token and
// hands out a valid access token, refreshing first when it is near expiry. The route is not in docs/openapi.json
// yet (the connectors service has not shipped it), so this call is typed by hand against the documented shape;
// once the route is generated, `client.api.POST('/api/v1/services/connections/{connection_id}/token')` is the same.
import { LockwellApiError } from '../errors.js';
import type { FetchLike } from '../http/transport.js';

export interface ConnectionToken {
  access_token: string;
  token_type: string;
  /** RFC 3339; null when the provider gave no lifetime. */
  expires_at: string | null;
  scopes?: string[];
}

export class ConnectionTokens {
  constructor(
    private readonly baseUrl: string,
    private readonly send: FetchLike,
  ) {}

  async get(connectionId: string): Promise<ConnectionToken> {
    const url = `${this.baseUrl}/api/v1/services/connections/${encodeURIComponent(connectionId)}/token`;
    const response = await this.send(new Request(url, { method: 'POST' }));
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw LockwellApiError.from(response, body);
    return body as ConnectionToken;
  }
}
