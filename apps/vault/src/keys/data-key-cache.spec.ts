import { DataKeyCache } from './data-key-cache.js';

// Unwrapped data keys stay in memory for a bounded time and count (a heap snapshot holds only recent keys),
// and a shredded scope's keys go at once.
describe('DataKeyCache', () => {
  let now = 0;
  const clock = { now: () => new Date(now) };
  const key = (fill: number) => Buffer.alloc(32, fill);
  beforeEach(() => {
    now = 0;
  });

  it('returns a key until its TTL has passed, and forgets it from that instant', () => {
    const cache = new DataKeyCache(1000, 10, clock);
    cache.set('a', key(1));
    now = 999;
    expect(cache.get('a')).toEqual(key(1));
    now = 1000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get('never')).toBeUndefined();
  });

  it('drops the least recently stored key above the size bound; storing again refreshes a key', () => {
    const cache = new DataKeyCache(1000, 2, clock);
    cache.set('a', key(1));
    cache.set('b', key(2));
    cache.set('a', key(1));
    cache.set('c', key(3));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(key(1));
    expect(cache.get('c')).toEqual(key(3));
    expect(cache.size).toBe(2);
  });

  it('restarts the TTL when a key is stored again', () => {
    const cache = new DataKeyCache(1000, 10, clock);
    cache.set('a', key(1));
    now = 900;
    cache.set('a', key(1));
    now = 1500;
    expect(cache.get('a')).toEqual(key(1));
  });

  it('caches nothing with a TTL or size of 0', () => {
    for (const [ttl, max] of [
      [0, 10],
      [1000, 0],
    ]) {
      const cache = new DataKeyCache(ttl!, max!, clock);
      cache.set('a', key(1));
      expect(cache.size).toBe(0);
      expect(cache.get('a')).toBeUndefined();
    }
  });

  it('evicts a whole scope, or everything', () => {
    const cache = new DataKeyCache(1000, 10, clock);
    cache.set('tenant:1:1', key(1));
    cache.set('tenant:1:2', key(2));
    cache.set('tenant:2:1', key(3));
    cache.evict('tenant:1:');
    expect(cache.size).toBe(1);
    expect(cache.get('tenant:2:1')).toEqual(key(3));
    cache.evict();
    expect(cache.size).toBe(0);
  });
});
