/**
 * A small in-memory cache of promises with a TTL and a size cap: concurrent misses for one key share a
 * single load; a failed load is not cached; entries can be dropped by key or predicate (event-driven
 * invalidation), the TTL being the backstop if an event is ever missed.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    const entry = { value: load(), expiresAt: this.now() + this.ttlMs };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  deleteWhere(predicate: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) {
      void entry.value.then(
        (v) => {
          if (predicate(v) && this.entries.get(key) === entry) this.entries.delete(key);
        },
        () => undefined,
      );
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
