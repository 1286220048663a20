import { z } from 'zod';
import { Timestamp, Uuid } from '../common.js';
import { defineRpc } from '../rpc.js';

// Third-party services (docs/api.md "Third-party services"): the admin registry and the preset
// catalogue. The connectors service checks every URL against its endpoint policy (https in production,
// http only on loopback in local runs) and never takes an endpoint from anyone but an administrator.

const Slug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
  message: 'lowercase letters, digits and inner hyphens, 1-63 characters',
});
const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !/\p{Cc}/u.test(s), { message: 'must not contain control characters' });
const EndpointUrl = z.url({ message: 'must be an absolute URL' }).max(2048);
/** One OAuth scope as sent to the provider (no separators inside). */
export const OAuthScope = z.string().regex(/^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]{1,512}$/, {
  message: 'a scope is printable ASCII without spaces, commas, quotes or backslashes',
});
const AuthParamName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);
/** Presets are data files in the connectors service; contracts only know the shape of their ids. */
export const PresetId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);
/** `client_id`, `client_secret`, or another credential name an auth method needs. */
export const ServiceSecretName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, { message: 'lowercase letters, digits and underscores, starting with a letter' });

/**
 * How a provider deviates from the plain protocol, declared per preset (and overridable per service), so the
 * broker's code has no provider-name branches (docs/connectors.md "Presets and quirks").
 */
export const ProviderQuirks = z
  .object({
    /** How the client authenticates at the token and revocation endpoints. */
    token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post', 'none']),
    /** Joins scopes in the authorization request (RFC 6749 says a space; Slack wants commas). */
    scope_separator: z.enum([' ', ',']),
    /** Send a PKCE S256 challenge (RFC 7636). Unknown parameters are ignored by providers (RFC 6749 §3.1). */
    pkce: z.boolean(),
    /** Lifetime assumed when a token response has no `expires_in`; null: such tokens do not expire. */
    default_lifetime_seconds: z.number().int().min(1).max(31_536_000).nullable(),
    /** Fields of the token response kept and handed out with the token (e.g. Salesforce's `instance_url`). */
    keep_token_fields: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/)).max(10),
    /** The provider answers token errors with HTTP 200 and an `error` field (GitHub, Slack). */
    errors_with_status_200: z.boolean(),
    /** Error codes that mean the grant is dead, besides `invalid_grant` and `unauthorized_client`. */
    dead_grant_errors: z.array(z.string().regex(/^[a-z0-9_.-]{1,64}$/)).max(10),
    /** The provider issues a new refresh token on each refresh (the broker handles both; the conformance kit checks it). */
    rotates_refresh_token: z.boolean(),
  })
  .strict();
export type ProviderQuirks = z.infer<typeof ProviderQuirks>;

const ExtraAuthParams = z
  .record(AuthParamName, z.string().max(512))
  .refine((p) => Object.keys(p).length <= 20, { message: 'at most 20 parameters' });

const ServiceFields = {
  name: DisplayName,
  slug: Slug,
  description: z.string().trim().max(1000).nullable(),
  auth_type: z.literal('oauth2'),
  /** The preset the service was created from (null: configured by hand). */
  preset: PresetId.nullable(),
  /** Values for the preset's URL placeholders, e.g. `{"tenant": "contoso.onmicrosoft.com"}` for Microsoft Entra ID. */
  preset_params: z.record(z.string().regex(/^[a-z_]{1,32}$/), z.string().max(255)),
  authorization_url: EndpointUrl,
  token_url: EndpointUrl,
  revocation_url: EndpointUrl.nullable(),
  /** OpenID Connect issuer: ID tokens are checked against it, and the `iss` of authorization responses (RFC 9207). */
  issuer: EndpointUrl.nullable(),
  jwks_uri: EndpointUrl.nullable(),
  /** Scopes requested when a user connects without naming any. */
  scopes: z.array(OAuthScope).max(50),
  redirect_uri: EndpointUrl,
  extra_auth_params: ExtraAuthParams,
  quirks: ProviderQuirks,
};

/** A registered service as administrators see it: credentials only as the names that are set. */
export const Service = z.object({
  id: Uuid,
  ...ServiceFields,
  /** `oidc`: an OpenID Connect provider (ID token and nonce checked); `oauth2`: plain OAuth 2.0. */
  protocol: z.enum(['oauth2', 'oidc']),
  credentials_set: z.array(ServiceSecretName),
  /** Users can connect it: the credentials its auth method needs are set. */
  ready: z.boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Service = z.infer<typeof Service>;

/**
 * Create: from a preset (`{preset, name?, credentials: {client_id, client_secret}}` is enough for most), or by
 * hand (authorization_url, token_url and scopes). Explicit fields win over the preset's. With the `oidc` preset
 * the endpoints are discovered from `issuer` (RFC 8414 / OpenID Discovery) when not given.
 */
export const ServiceCreateBody = z
  .object({
    name: DisplayName.optional(),
    slug: Slug.optional(),
    description: z.string().trim().max(1000).optional(),
    auth_type: z.literal('oauth2').optional(),
    /** Default: the preset's; `oidc` expects an ID token and checks it against `issuer`. */
    protocol: z.enum(['oauth2', 'oidc']).optional(),
    preset: PresetId.optional(),
    preset_params: ServiceFields.preset_params.optional(),
    authorization_url: EndpointUrl.optional(),
    token_url: EndpointUrl.optional(),
    revocation_url: EndpointUrl.nullable().optional(),
    issuer: EndpointUrl.optional(),
    jwks_uri: EndpointUrl.optional(),
    scopes: ServiceFields.scopes.optional(),
    redirect_uri: EndpointUrl.optional(),
    extra_auth_params: ExtraAuthParams.optional(),
    quirks: ProviderQuirks.partial().optional(),
    /** Credentials set together with the service (extension), e.g. `{"client_id": "...", "client_secret": "..."}`. */
    credentials: z.record(ServiceSecretName, z.string().min(1).max(8192)).optional(),
  })
  .strict();
export type ServiceCreateBody = z.infer<typeof ServiceCreateBody>;

export const ServiceUpdateBody = z
  .object({
    name: DisplayName.optional(),
    slug: Slug.optional(),
    description: z.string().trim().max(1000).nullable().optional(),
    preset_params: ServiceFields.preset_params.optional(),
    authorization_url: EndpointUrl.optional(),
    token_url: EndpointUrl.optional(),
    revocation_url: EndpointUrl.nullable().optional(),
    issuer: EndpointUrl.nullable().optional(),
    jwks_uri: EndpointUrl.nullable().optional(),
    scopes: ServiceFields.scopes.optional(),
    redirect_uri: EndpointUrl.optional(),
    extra_auth_params: ExtraAuthParams.optional(),
    quirks: ProviderQuirks.partial().optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one field to change' });
export type ServiceUpdateBody = z.infer<typeof ServiceUpdateBody>;

export const ServiceIdParams = z.object({ service_id: Uuid }).strict();
export const ServiceListQuery = z.object({}).strict();

/** A built-in preset: a provider's endpoints and quirks (GET /admin/services/presets). */
export const ServicePreset = z.object({
  id: PresetId,
  name: z.string(),
  description: z.string(),
  protocol: z.enum(['oauth2', 'oidc']),
  documentation_url: z.string(),
  /** URL templates; `{name}` placeholders are filled from `preset_params`. */
  authorization_url: z.string().nullable(),
  token_url: z.string().nullable(),
  revocation_url: z.string().nullable(),
  issuer: z.string().nullable(),
  jwks_uri: z.string().nullable(),
  params: z.array(z.object({ name: z.string(), description: z.string(), default: z.string().nullable() })),
  scopes: z.array(z.string()),
  extra_auth_params: z.record(z.string(), z.string()),
  quirks: ProviderQuirks,
  notes: z.array(z.string()),
});
export type ServicePreset = z.infer<typeof ServicePreset>;

/** Which credentials are set, with their version (values never leave the vault). */
export const ServiceSecretInfo = z.object({
  secret_key_name: ServiceSecretName,
  version: z.number().int(),
  updated_at: Timestamp,
});
export const ServiceSecretList = z.object({ items: z.array(ServiceSecretInfo), missing: z.array(ServiceSecretName) });
export const ServiceSecretBody = z
  .object({ secret_key_name: ServiceSecretName, secret_value: z.string().min(1).max(8192) })
  .strict();

export const ConnectorsServiceCreate = defineRpc('connectors.service.create', ServiceCreateBody, Service);
export const ConnectorsServiceList = defineRpc(
  'connectors.service.list',
  ServiceListQuery,
  z.object({ items: z.array(Service) }),
);
export const ConnectorsServiceGet = defineRpc('connectors.service.get', ServiceIdParams, Service);
export const ConnectorsServiceUpdate = defineRpc(
  'connectors.service.update',
  z.object({ service_id: Uuid, changes: ServiceUpdateBody }),
  Service,
);
/** Deletes the service, its pending authorisations and every connection to it (tokens crypto-shredded in the vault). */
export const ConnectorsServiceDelete = defineRpc(
  'connectors.service.delete',
  ServiceIdParams,
  z.object({ deleted: z.literal(true), connections_removed: z.number().int() }),
);
export const ConnectorsPresetList = defineRpc(
  'connectors.preset.list',
  z.object({}).strict(),
  z.object({ items: z.array(ServicePreset) }),
);
export const ConnectorsServiceSecretList = defineRpc(
  'connectors.service-secret.list',
  ServiceIdParams,
  ServiceSecretList,
);
export const ConnectorsServiceSecretPut = defineRpc(
  'connectors.service-secret.put',
  ServiceSecretBody.extend({ service_id: Uuid }),
  ServiceSecretInfo,
);
