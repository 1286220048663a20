import { ErrorCode, type ProviderQuirks } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import { PLAIN_OAUTH2_QUIRKS, type PresetDefinition } from '../presets/preset.js';
import { presetById } from '../presets/preset-registry.js';
import { ProviderError, type DiscoveredEndpoints } from '../oauth/oauth-client.port.js';
import { checkEndpoint, invalid } from '../service/endpoint-policy.js';
import { fillTemplate, presetParamValues } from '../service/preset-endpoints.js';
import type { ServiceConfig } from '../service/service.repository.js';

/** Fields an administrator may give (create) or change (update); undefined = not given. */
export interface ServiceConfigInput {
  protocol?: 'oauth2' | 'oidc';
  preset_params?: Record<string, string>;
  authorization_url?: string;
  token_url?: string;
  revocation_url?: string | null;
  issuer?: string | null;
  jwks_uri?: string | null;
  scopes?: string[];
  redirect_uri?: string;
  extra_auth_params?: Record<string, string>;
  quirks?: Partial<ProviderQuirks>;
}

export interface ServiceConfigDeps {
  allowLoopbackHttp: boolean;
  defaultRedirectUri: string | null;
  discover(issuer: string): Promise<DiscoveredEndpoints>;
}

// Parameters the flow itself sets: an extra parameter must not override them (PKCE, state, redirect).
const RESERVED_AUTH_PARAMS = new Set([
  'client_id',
  'redirect_uri',
  'response_type',
  'state',
  'scope',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'request',
  'request_uri',
]);

/**
 * Resolves a service's configuration from its preset (when it has one), what it had before (on update) and what
 * the administrator gave: explicit fields win, preset templates are filled from `preset_params`, an issuer without
 * endpoints is discovered, and every URL passes the endpoint policy (OC-7).
 */
export async function resolveServiceConfig(
  presetId: string | null,
  before: ServiceConfig | null,
  input: ServiceConfigInput,
  deps: ServiceConfigDeps,
): Promise<ServiceConfig> {
  const preset = presetId === null ? undefined : presetById(presetId);
  if (presetId !== null && !preset) throw invalid('preset', 'unknown preset (GET /admin/services/presets lists them)');
  if (!preset && input.preset_params && Object.keys(input.preset_params).length)
    throw invalid('preset_params', 'only for services made from a preset');
  const params = preset ? presetParamValues(preset, input.preset_params ?? before?.preset_params ?? {}) : {};
  // Template endpoints apply on create, and on update when the parameters they are filled from change.
  const fromTemplate = preset && (!before || input.preset_params !== undefined);
  const template = (name: keyof PresetDefinition['endpoints']) =>
    preset && fromTemplate ? fillTemplate(preset.endpoints[name], params) : null;
  const pick = <K extends 'authorization_url' | 'token_url' | 'revocation_url' | 'issuer' | 'jwks_uri'>(
    name: K,
  ): string | null | undefined =>
    input[name] !== undefined ? input[name] : (template(name) ?? before?.[name] ?? undefined);

  const config = {
    preset: preset?.id ?? null,
    preset_params: params,
    protocol: input.protocol ?? before?.protocol ?? preset?.protocol ?? 'oauth2',
    authorization_url: pick('authorization_url') ?? null,
    token_url: pick('token_url') ?? null,
    revocation_url: pick('revocation_url') ?? null,
    issuer: pick('issuer') ?? null,
    jwks_uri: pick('jwks_uri') ?? null,
    scopes: input.scopes ?? before?.scopes ?? preset?.scopes ?? [],
    redirect_uri: input.redirect_uri ?? before?.redirect_uri ?? null,
    extra_auth_params: input.extra_auth_params ?? before?.extra_auth_params ?? preset?.extra_auth_params ?? {},
    quirks: { ...(before?.quirks ?? preset?.quirks ?? PLAIN_OAUTH2_QUIRKS), ...input.quirks },
  };

  const issuerChanged = input.issuer !== undefined && input.issuer !== before?.issuer;
  const wantsDiscovery =
    config.issuer !== null &&
    (!config.authorization_url ||
      !config.token_url ||
      (issuerChanged && input.authorization_url === undefined && input.token_url === undefined));
  if (wantsDiscovery && (preset?.discovery || config.protocol === 'oidc')) {
    const found = await discover(checkEndpoint(config.issuer!, 'issuer', deps.allowLoopbackHttp), deps);
    config.authorization_url = input.authorization_url ?? found.authorization_url;
    config.token_url = input.token_url ?? found.token_url;
    config.revocation_url = input.revocation_url !== undefined ? input.revocation_url : found.revocation_url;
    config.jwks_uri = input.jwks_uri !== undefined ? input.jwks_uri : found.jwks_uri;
    config.issuer = found.issuer;
    if (input.quirks?.token_endpoint_auth_method === undefined && !before) {
      config.quirks.token_endpoint_auth_method = found.token_endpoint_auth_methods.includes('client_secret_basic')
        ? 'client_secret_basic'
        : 'client_secret_post';
    }
  }

  if (!config.authorization_url) throw invalid('authorization_url', 'required (or a preset, or an issuer to discover)');
  if (!config.token_url) throw invalid('token_url', 'required (or a preset, or an issuer to discover)');
  if (config.protocol === 'oidc' && !config.issuer)
    throw invalid('issuer', 'required for OpenID Connect (ID tokens are checked against it)');
  const reserved = Object.keys(config.extra_auth_params).filter((k) => RESERVED_AUTH_PARAMS.has(k));
  if (reserved.length) throw invalid('extra_auth_params', `set by the flow itself: ${reserved.join(', ')}`);
  if (!config.redirect_uri && !deps.defaultRedirectUri)
    throw invalid('redirect_uri', 'required when LOCKWELL_PUBLIC_URL is not set');

  const check = (value: string | null, field: string) =>
    value === null ? null : checkEndpoint(value, field, deps.allowLoopbackHttp);
  return {
    ...config,
    authorization_url: check(config.authorization_url, 'authorization_url')!,
    token_url: check(config.token_url, 'token_url')!,
    revocation_url: check(config.revocation_url, 'revocation_url'),
    issuer:
      config.issuer === null ? null : checkEndpoint(config.issuer, 'issuer', deps.allowLoopbackHttp) && config.issuer,
    jwks_uri: check(config.jwks_uri, 'jwks_uri'),
    redirect_uri: check(config.redirect_uri, 'redirect_uri'),
  };
}

async function discover(issuer: string, deps: ServiceConfigDeps): Promise<DiscoveredEndpoints> {
  try {
    return await deps.discover(issuer);
  } catch (err) {
    if (err instanceof ProviderError && err.kind === 'unavailable')
      throw new LockwellError(
        ErrorCode.PROVIDER_UNAVAILABLE,
        'The issuer could not be reached for discovery; retry shortly',
      );
    throw invalid('issuer', 'no usable discovery document (OpenID Discovery or RFC 8414) at this issuer');
  }
}
