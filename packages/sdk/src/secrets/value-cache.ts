// An optional in-memory cache for secret reads: fresh for `ttlMs`, then refetched; when the refetch fails
// transiently (network, 429, 5xx) a value younger than `staleIfErrorMs` is served instead (RFC 5861's
// stale-if-error), so an application keeps running through a short gateway outage. A definite answer — 401 for a
// revoked token, 403, 404 — is never papered over: it evicts the entry and reaches the caller.
import { isTransient } from '../errors.js';

export interface CacheOptions {
  /** How long a value is served without asking the server. */
  ttlMs: number;
  /** How long past its fetch a value may still be served while the server is failing (default: 1 hour). */
  staleIfErrorMs?: number;
  /** Called when a stale value is served, with the error that forced it. */
  onStale?: (key: string, error: unknown) => void;
}

interface Entry {
  value: unknown;
  fetchedAt: number;
}

export class ValueCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly options: CacheOptions,
    private readonly now: () => number,
  ) {}

  /** The cached value for `key`, or `load()`'s; concurrent misses of one key share one load. */
  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.fetchedAt < this.options.ttlMs) return entry.value as T;
    const pending = this.inflight.get(key) ?? this.refresh(key, load, entry);
    return pending as Promise<T>;
  }

  clear(): void {
    this.entries.clear();
  }

  private refresh<T>(key: string, load: () => Promise<T>, entry: Entry | undefined): Promise<T> {
    const run = load()
      .then((value) => {
        this.entries.set(key, { value, fetchedAt: this.now() });
        return value;
      })
      .catch((error: unknown) => {
        const maxStale = this.options.staleIfErrorMs ?? 3_600_000;
        if (entry && isTransient(error) && this.now() - entry.fetchedAt < maxStale) {
          this.options.onStale?.(key, error);
          return entry.value as T;
        }
        if (!isTransient(error)) this.entries.delete(key);
        throw error;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, run);
    return run;
  }
}
