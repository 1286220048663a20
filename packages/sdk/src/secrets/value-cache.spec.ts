import { LockwellApiError, LockwellNetworkError } from '../errors.js';
import { ValueCache } from './value-cache.js';

const down = () => Promise.reject(new LockwellNetworkError('http://lockwell.test', new Error('ECONNREFUSED')));
const revoked = () => Promise.reject(new LockwellApiError('UNAUTHENTICATED', 'revoked', 401, 'req-1'));

describe('ValueCache', () => {
  let now: number;
  let stale: string[];
  let cache: ValueCache;

  beforeEach(() => {
    now = 0;
    stale = [];
    cache = new ValueCache({ ttlMs: 1000, staleIfErrorMs: 10_000, onStale: (key) => stale.push(key) }, () => now);
  });

  it('serves a value within its TTL without loading, and loads again after', async () => {
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await cache.get('k', load)).toBe('v1');
    now = 999;
    expect(await cache.get('k', load)).toBe('v1');
    now = 1000;
    expect(await cache.get('k', load)).toBe('v2');
  });

  it('serves the stale value while the server is unreachable, within staleIfErrorMs, and recovers after', async () => {
    await cache.get('k', async () => 'v1');
    now = 5000;
    expect(await cache.get('k', down)).toBe('v1');
    expect(stale).toEqual(['k']);
    now = 6000;
    expect(await cache.get('k', async () => 'v2')).toBe('v2');
    now = 20_000;
    await expect(cache.get('k', down)).rejects.toBeInstanceOf(LockwellNetworkError);
  });

  it('never hides a definite refusal: a 401 reaches the caller and evicts the entry', async () => {
    await cache.get('k', async () => 'v1');
    now = 2000;
    await expect(cache.get('k', revoked)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    await expect(cache.get('k', down)).rejects.toBeInstanceOf(LockwellNetworkError);
  });

  it('shares one load between concurrent misses', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 'v';
    };
    await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    expect(loads).toBe(1);
  });
});
