import { backoffMs, DEFAULT_RETRY_POLICY, isReplayable, retryAfterMs } from './retry-policy.js';

describe('retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(p, 0, () => 0)).toBe(50);
    expect(backoffMs(p, 0, () => 1)).toBe(100);
    expect(backoffMs(p, 3, () => 1)).toBe(800);
    expect(backoffMs(p, 10, () => 1)).toBe(1000);
  });

  it('replays reads and connection-token requests, never other writes', () => {
    const base = 'http://lockwell.test/api/v1';
    expect(isReplayable('GET', `${base}/tenant-secrets`)).toBe(true);
    expect(isReplayable('POST', `${base}/services/connections/abc/token`)).toBe(true);
    expect(isReplayable('POST', `${base}/tenant-secrets`)).toBe(false);
    expect(isReplayable('POST', `${base}/auth/refresh`)).toBe(false);
    expect(isReplayable('PUT', `${base}/tenant-secrets/x`)).toBe(false);
    expect(isReplayable('DELETE', `${base}/tenant-secrets/x`)).toBe(false);
  });
});
