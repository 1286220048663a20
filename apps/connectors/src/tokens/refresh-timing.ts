import type { StoredTokens } from './stored-tokens.js';

/** A hand-out refreshes first when less than this much of the token's life is left (capped by MAX_MARGIN_MS). */
const MARGIN_SHARE = 0.2;
const MAX_MARGIN_MS = 60_000;
/** The scheduler refreshes at about 80% of the lifetime, spread by ±5% so tokens issued together do not refresh together. */
const PROACTIVE_SHARE = 0.8;
const JITTER_SHARE = 0.05;
const MAX_JITTER_MS = 60_000;
/** Transient failures: 5 s, 10 s, 20 s ... capped at 15 minutes, each between half and the whole of that. */
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_CAP_MS = 15 * 60_000;

const lifetimeMs = (t: StoredTokens) =>
  t.expires_at === null ? null : Date.parse(t.expires_at) - Date.parse(t.issued_at);

/** The token can be handed out as it is: it does not expire, or more than the margin of its life is left. */
export function isFresh(t: StoredTokens, now: Date): boolean {
  const life = lifetimeMs(t);
  if (life === null) return true;
  const margin = Math.min(MAX_MARGIN_MS, Math.max(0, life) * MARGIN_SHARE);
  return Date.parse(t.expires_at!) - now.getTime() > margin;
}

/** Still usable (possibly inside the margin): a transient refresh failure may hand it out rather than fail. */
export const isUnexpired = (t: StoredTokens, now: Date): boolean =>
  t.expires_at === null || Date.parse(t.expires_at) > now.getTime();

/** When the scheduler should refresh; null when it never needs to (no expiry, or nothing to refresh with). */
export function proactiveRefreshAt(t: StoredTokens, random: () => number = Math.random): Date | null {
  const life = lifetimeMs(t);
  if (life === null || t.refresh_token === null) return null;
  const jitter = Math.min(MAX_JITTER_MS, life * JITTER_SHARE) * (random() * 2 - 1);
  return new Date(Date.parse(t.issued_at) + life * PROACTIVE_SHARE + jitter);
}

/** When to try again after the `attempt`-th transient failure in a row (capped exponential backoff, full jitter above half). */
export function backoffUntil(attempt: number, now: Date, random: () => number = Math.random): Date {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 20));
  return new Date(now.getTime() + ceiling * (0.5 + random() / 2));
}
