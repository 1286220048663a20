import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter (API-2)', () => {
  it('lets `limit` requests through at once, then answers with the wait until the next one', () => {
    const limiter = new RateLimiter(3, 60_000);
    for (let i = 0; i < 3; i++) expect(limiter.take('ip:a', 0)).toEqual({ allowed: true });
    expect(limiter.take('ip:a', 0)).toEqual({ allowed: false, retryAfterSeconds: 20 });
    expect(limiter.take('ip:b', 0)).toEqual({ allowed: true });
    expect(limiter.take('ip:a', 19_000)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('ip:a', 20_000)).toEqual({ allowed: true });
  });

  it('sustains exactly the limit per window', () => {
    const limiter = new RateLimiter(60, 60_000);
    let allowed = 0;
    for (let t = 0; t < 600_000; t += 500) if (limiter.take('k', t).allowed) allowed++;
    // 60 at once plus one per second for ten minutes (the first second's token is already in the burst).
    expect(allowed).toBeGreaterThanOrEqual(60 + 599);
    expect(allowed).toBeLessThanOrEqual(60 + 600);
  });

  it('never holds more than maxKeys buckets, however many distinct keys arrive', () => {
    const limiter = new RateLimiter(10, 60_000, 100);
    for (let i = 0; i < 10_000; i++) limiter.take(`ip:${i}`, i);
    expect(limiter.size).toBe(100);
  });
});
