import { SIGNATURE_MAX_AGE_MS } from './call-signature.js';

/**
 * The nonces of calls accepted recently, so a captured call replayed within its signing window is refused.
 * Kept in memory per replica: entries live twice the window (a signature is valid up to the window on either
 * side of the receiver's clock) and are dropped in insertion order, which is time order.
 */
export class SeenNonces {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 2 * SIGNATURE_MAX_AGE_MS,
    private readonly maxEntries = 500_000,
  ) {}

  /** Records `nonce`; false when it was already used (a replay). */
  firstUse(nonce: string, now: number): boolean {
    this.prune(now);
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now + this.ttlMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    for (const [nonce, until] of this.seen) {
      if (until > now && this.seen.size < this.maxEntries) break;
      this.seen.delete(nonce);
    }
  }
}
