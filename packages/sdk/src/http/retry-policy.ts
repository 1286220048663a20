// When and how long to wait before trying a request again.

export interface RetryPolicy {
  /** Further attempts after the first (0 disables retrying). */
  retries: number;
  /** First backoff; it doubles per attempt, with full jitter, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the caller gets the RATE_LIMITED error at once (a login
   * lockout can last 15 minutes, and no one wants a script to hang that long). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};

/** Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Whether a request may be sent again after a 503 or a network failure, where the first attempt may or may not
 * have been applied. Reads may. So may asking the broker for a connection token (it hands out the current token
 * or refreshes once, single-flight). Writes may not: a retried create could answer 409 for the secret it made
 * itself, and a retried refresh would present a spent refresh token and revoke the whole session family.
 * (A 429 is retried for every method: the server refused the request before doing anything.)
 */
export function isReplayable(method: string, url: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  return method === 'POST' && /\/services\/connections\/[^/]+\/token$/.test(new URL(url).pathname);
}
