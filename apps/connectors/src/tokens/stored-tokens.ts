import type { ProviderQuirks } from '@lockwell/contracts';
import { z } from 'zod';
import type { TokenResponse } from '../oauth/oauth-client.port.js';

/** What the vault holds for a connection (one sealed JSON document, AAD-bound to the connection, OC-4). */
export const StoredTokens = z.object({
  access_token: z.string(),
  token_type: z.string(),
  refresh_token: z.string().nullable(),
  issued_at: z.iso.datetime({ offset: true }),
  expires_at: z.iso.datetime({ offset: true }).nullable(),
  scopes: z.array(z.string()),
  extra: z.record(z.string(), z.unknown()),
});
export type StoredTokens = z.infer<typeof StoredTokens>;

// A kept field larger than this is dropped rather than stored and handed out (OC-7).
const MAX_KEPT_FIELD_CHARS = 2048;

/** Granted scopes: RFC 6749 says space-separated, GitHub answers with commas; neither occurs inside a scope. */
export const splitScopes = (scope: string): string[] => scope.split(/[\s,]+/).filter(Boolean);

/**
 * Turns a token response into what is stored. No `expires_in`: the service's default lifetime (null: the token
 * does not expire). No `refresh_token` in a refresh response: the old one stays valid (RFC 6749 §6), so it is
 * kept. No `scope`: the grant is what was asked (§5.1), or what the previous grant held.
 */
export function storedTokensFrom(
  response: TokenResponse,
  quirks: ProviderQuirks,
  now: Date,
  context: { requestedScopes: string[]; previous?: StoredTokens },
): StoredTokens {
  const lifetime = response.expires_in ?? quirks.default_lifetime_seconds;
  const extra: Record<string, unknown> = { ...(context.previous?.extra ?? {}) };
  for (const field of quirks.keep_token_fields) {
    const value = response.body[field];
    if (value !== undefined && JSON.stringify(value).length <= MAX_KEPT_FIELD_CHARS) extra[field] = value;
  }
  return {
    access_token: response.access_token,
    token_type: response.token_type,
    refresh_token: response.refresh_token ?? context.previous?.refresh_token ?? null,
    issued_at: now.toISOString(),
    expires_at: lifetime === null ? null : new Date(now.getTime() + lifetime * 1000).toISOString(),
    scopes:
      response.scope !== undefined
        ? splitScopes(response.scope)
        : (context.previous?.scopes ?? context.requestedScopes),
    extra,
  };
}
