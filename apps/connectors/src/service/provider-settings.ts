import { ErrorCode } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import type { ProviderSettings } from '../oauth/oauth-client.port.js';
import type { ServiceRow } from './service.repository.js';

/** The credentials a service's token-endpoint auth method needs before users can connect it. */
export const requiredCredentials = (row: Pick<ServiceRow, 'quirks'>): string[] =>
  row.quirks.token_endpoint_auth_method === 'none' ? ['client_id'] : ['client_id', 'client_secret'];

export const isReady = (row: Pick<ServiceRow, 'quirks' | 'credentials_set'>): boolean =>
  requiredCredentials(row).every((n) => row.credentials_set.includes(n));

/** The redirect URI in force: the service's own, else the installation's callback. */
export function redirectUriOf(row: Pick<ServiceRow, 'redirect_uri'>, defaultRedirectUri: string | null): string {
  const uri = row.redirect_uri ?? defaultRedirectUri;
  // Stryker disable next-line ConditionalExpression: creation refuses a service without one; a guard for configuration changed afterwards
  if (!uri)
    throw new LockwellError(
      ErrorCode.INVALID_STATE,
      'The service has no redirect URI: set one, or LOCKWELL_PUBLIC_URL',
    );
  return uri;
}

export function providerSettingsOf(row: ServiceRow, defaultRedirectUri: string | null): ProviderSettings {
  return {
    protocol: row.protocol,
    authorization_url: row.authorization_url,
    token_url: row.token_url,
    revocation_url: row.revocation_url,
    issuer: row.issuer,
    jwks_uri: row.jwks_uri,
    redirect_uri: redirectUriOf(row, defaultRedirectUri),
    extra_auth_params: row.extra_auth_params,
    quirks: row.quirks,
  };
}
