/**
 * Bounds of the gateway's auth caches (README "Identity and access"). Events invalidate entries within
 * milliseconds; these TTLs only bound staleness if an event were lost.
 */
export const PRINCIPAL_CACHE_TTL_MS = 30_000;
export const API_TOKEN_CACHE_TTL_MS = 30_000;
/** Verified access tokens remembered by their bytes (see AccessTokenVerifier): how many, and for how long at most. */
export const VERIFIED_TOKEN_CACHE_MAX = 10_000;
export const VERIFIED_TOKEN_CACHE_TTL_MS = 60_000;
/** The JWKS is refreshed this often, and on an unknown `kid` at most once per JWKS_MIN_REFETCH_MS. */
export const JWKS_TTL_MS = 5 * 60_000;
export const JWKS_MIN_REFETCH_MS = 5_000;
/** Tolerated clock skew when checking exp/nbf/iat (SES-2: at most 60 s). */
export const CLOCK_SKEW_SECONDS = 30;
export const API_TOKEN_PREFIX = 'lw_';
