import type { Service } from '@lockwell/contracts';
import { isReady } from '../service/provider-settings.js';
import type { ServiceRow } from '../service/service.repository.js';

export function serviceView(row: ServiceRow, defaultRedirectUri: string | null): Service {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    auth_type: 'oauth2',
    protocol: row.protocol,
    preset: row.preset,
    preset_params: row.preset_params,
    authorization_url: row.authorization_url,
    token_url: row.token_url,
    revocation_url: row.revocation_url,
    issuer: row.issuer,
    jwks_uri: row.jwks_uri,
    scopes: row.scopes,
    redirect_uri: row.redirect_uri ?? defaultRedirectUri ?? '',
    extra_auth_params: row.extra_auth_params,
    quirks: row.quirks,
    credentials_set: [...row.credentials_set].sort(),
    ready: isReady(row),
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}
