import { lockoutSeconds, rateLimited } from './login-throttle.service.js';

describe('login lockout backoff (PW-4)', () => {
  it('does not lock below the threshold, then doubles per further failure up to the cap', () => {
    expect(lockoutSeconds(4, 5, 2, 900)).toBe(0);
    expect(lockoutSeconds(5, 5, 2, 900)).toBe(2);
    expect(lockoutSeconds(6, 5, 2, 900)).toBe(4);
    expect(lockoutSeconds(9, 5, 2, 900)).toBe(32);
    expect(lockoutSeconds(20, 5, 2, 900)).toBe(900);
    expect(lockoutSeconds(10_000, 5, 2, 900)).toBe(900);
  });

  it('carries the wait for the gateway to send as Retry-After', () => {
    expect(rateLimited(17).toBody()).toEqual({
      code: 'RATE_LIMITED',
      message: expect.any(String),
      details: [{ field: 'retry_after_seconds', issue: '17' }],
    });
  });
});
