/** What a limiter answers: go ahead, or wait this many seconds. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per key (API-2): each key may spend `limit` requests at once and earns them back evenly over
 * `windowMs`, so a steady `limit` per window always passes and a burst above it gets 429 until tokens return.
 * In memory, per gateway replica, at most `maxKeys` buckets: the least recently used are forgotten first
 * (a forgotten key simply starts full again), so a flood of distinct keys cannot grow the heap.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  take(key: string, now: number): RateDecision {
    const bucket = this.buckets.get(key);
    const refilled = bucket
      ? Math.min(this.limit, bucket.tokens + ((now - bucket.at) * this.limit) / this.windowMs)
      : this.limit;
    // Re-inserting keeps the map in least-recently-used order.
    this.buckets.delete(key);
    if (refilled >= 1) {
      this.buckets.set(key, { tokens: refilled - 1, at: now });
      this.evict();
      return { allowed: true };
    }
    this.buckets.set(key, { tokens: refilled, at: now });
    const waitMs = ((1 - refilled) * this.windowMs) / this.limit;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.round(waitMs) / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private evict(): void {
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
  }
}
