import { DataKeyCache } from './data-key-cache.js';

describe('DataKeyCache', () => {
  let now = 0;
  const clock = { now: () => new Date(now) };

  it('forgets keys after the TTL and drops the oldest above the size bound', () => {
    const cache = new DataKeyCache(1000, 2, clock);
    cache.set('a', Buffer.alloc(32, 1));
    cache.set('b', Buffer.alloc(32, 2));
    cache.set('c', Buffer.alloc(32, 3));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(2);
    now += 1001;
    expect(cache.get('b')).toBeUndefined();
  });

  it('evicts a whole scope', () => {
    const cache = new DataKeyCache(1000, 10, clock);
    cache.set('tenant:1:1', Buffer.alloc(32));
    cache.set('tenant:1:2', Buffer.alloc(32));
    cache.set('tenant:2:1', Buffer.alloc(32));
    cache.evict('tenant:1:');
    expect(cache.size).toBe(1);
  });
});
