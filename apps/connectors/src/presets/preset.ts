import { ProviderQuirks, type ServicePreset } from '@lockwell/contracts';
import { z } from 'zod';

/**
 * A provider preset: one data file per provider in ./catalogue, registered in preset-registry.ts. It holds the
 * provider's endpoints and every quirk the broker must honour (`quirks`), plus what the conformance kit needs to
 * make a local OpenID provider behave like this one (`behaviour`). docs/connectors.md "Adding a connector".
 */
export const PresetDefinition = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
    name: z.string().min(1).max(100),
    description: z.string().min(1).max(300),
    documentation_url: z.url(),
    /** `oidc`: OpenID Connect (a nonce is sent and the ID token checked against `issuer`). */
    protocol: z.enum(['oauth2', 'oidc']),
    /** URL templates (`{param}` from `params`); null where the administrator must give them (generic presets). */
    endpoints: z
      .object({
        authorization_url: z.string().nullable(),
        token_url: z.string().nullable(),
        revocation_url: z.string().nullable(),
        issuer: z.string().nullable(),
        jwks_uri: z.string().nullable(),
      })
      .strict(),
    /** Endpoints come from the issuer's discovery document when the administrator gives only `issuer`. */
    discovery: z.boolean(),
    /** Placeholders in the endpoint templates; values are checked against `pattern` (no URL injection). */
    params: z.array(
      z
        .object({
          name: z.string().regex(/^[a-z_]{1,32}$/),
          description: z.string(),
          default: z.string().nullable(),
          pattern: z.string(),
        })
        .strict(),
    ),
    scopes: z.array(z.string()),
    extra_auth_params: z.record(z.string(), z.string()),
    quirks: ProviderQuirks,
    /**
     * How the real provider behaves, for the conformance kit's emulation (the broker never reads this):
     * whether token responses carry `expires_in`, whether authorization responses carry `iss` (RFC 9207),
     * which error code a dead grant gets, and what the kept token fields look like.
     */
    behaviour: z
      .object({
        expires_in: z.enum(['always', 'sometimes', 'never']),
        sends_iss: z.boolean(),
        dead_grant_error: z.string(),
        sample_token_fields: z.record(z.string(), z.unknown()),
      })
      .strict(),
    notes: z.array(z.string()),
  })
  .strict();
export type PresetDefinition = z.infer<typeof PresetDefinition>;

/** Validates a preset data file when it is loaded: a malformed preset stops the service at start. */
export const definePreset = (preset: PresetDefinition): PresetDefinition => PresetDefinition.parse(preset);

/** The public view of a preset (GET /admin/services/presets). */
export function presetView(p: PresetDefinition): ServicePreset {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    protocol: p.protocol,
    documentation_url: p.documentation_url,
    ...p.endpoints,
    params: p.params.map(({ name, description, default: d }) => ({ name, description, default: d })),
    scopes: p.scopes,
    extra_auth_params: p.extra_auth_params,
    quirks: p.quirks,
    notes: p.notes,
  };
}

/** Quirks of a service configured by hand (no preset): plain RFC 6749 behaviour. */
export const PLAIN_OAUTH2_QUIRKS: ProviderQuirks = {
  token_endpoint_auth_method: 'client_secret_basic',
  scope_separator: ' ',
  pkce: true,
  default_lifetime_seconds: 3600,
  keep_token_fields: [],
  errors_with_status_200: false,
  dead_grant_errors: [],
  rotates_refresh_token: false,
};
