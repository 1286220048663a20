import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  buildAad,
  generateDataKey,
  mustRotateKey,
  unwrapDataKey,
  wrapDataKey,
  type MasterKeyRing,
} from '@lockwell/crypto';
import { CLOCK, MASTER_KEY_RING, type Clock } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { VAULT_SETTINGS, type VaultSettings } from '../vault-settings.js';
import { DataKeyCache } from './data-key-cache.js';
import { DataKeyRepository, type DataKeyRow } from './data-key.repository.js';
import { scopeKey, type KeyScope } from './scope.js';

/** The wrap AAD binds a data key to its scope and version: a wrapped key copied to another scope will not unwrap. */
export const dataKeyAad = (scope: KeyScope, version: number): string =>
  buildAad({ purpose: 'vault-data-key', scope: scope.type, scope_id: scope.id, version });

/**
 * Per-scope data keys (ENC-2): one active key per tenant or user, stored only wrapped by the master key ring,
 * unwrapped on demand into a bounded TTL cache. Encryptions are counted in the same transaction as the write
 * they serve, and a key that reached its budget (ENC-5) or its cryptoperiod (KEY-4) is demoted to
 * decrypt-only and replaced at its next use for a write.
 */
@Injectable()
export class DataKeyService {
  readonly cache: DataKeyCache;

  constructor(
    @Inject(MASTER_KEY_RING) private readonly ring: MasterKeyRing,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(VAULT_SETTINGS) private readonly settings: VaultSettings,
    private readonly keys: DataKeyRepository,
  ) {
    this.cache = new DataKeyCache(settings.dekCacheTtlMs, settings.dekCacheMax, clock);
  }

  /** The scope's active key for one more encryption (counted); creates the scope's first key if needed. */
  async forEncryption(em: EntityManager, scope: KeyScope): Promise<{ version: number; key: Buffer }> {
    let row = await this.keys.countEncryption(em, scope);
    if (!row) {
      await this.insertKey(em, scope, 1);
      row = await this.keys.countEncryption(em, scope);
    } else if (this.retired(row)) {
      // Budget spent or cryptoperiod over before this encryption: retire the key for writes, start the next version.
      await this.keys.retireActive(em, scope);
      await this.insertKey(em, scope, row.version + 1);
      row = await this.keys.countEncryption(em, scope);
    }
    // Stryker disable next-line ConditionalExpression,CallExpression: unreachable in tests, a guard against a key deleted between our own statements
    if (!row) throw new Error('data key vanished while in use');
    return { version: row.version, key: this.unwrapCached(scope, row.version, row.wrapped_key) };
  }

  private retired(row: DataKeyRow): boolean {
    const ageDays = (this.clock.now().getTime() - new Date(row.created_at).getTime()) / 86_400_000;
    return (
      mustRotateKey(Number(row.encryption_count) - 1, this.settings.dekMaxEncryptions) ||
      ageDays >= this.settings.dekMaxAgeDays
    );
  }

  /** The key that sealed a version (any state), from the cache or unwrapped from the database. */
  async forDecryption(em: EntityManager, scope: KeyScope, version: number): Promise<Buffer> {
    // Stryker disable next-line StringLiteral: equivalent, a cache miss unwraps the same key from the database (the cache only saves work)
    const cached = this.cache.get(`${scopeKey(scope)}:${version}`);
    // Stryker disable next-line ConditionalExpression: equivalent, as above
    if (cached) return cached;
    const wrapped = await this.keys.wrappedKey(em, scope, version);
    if (!wrapped) throw new Error('no data key for this ciphertext');
    return this.unwrapCached(scope, version, wrapped);
  }

  /** Forgets a shredded scope's keys. */
  // Stryker disable BlockStatement,StringLiteral: memory hygiene: a shredded scope's key opens nothing (its ciphertexts are gone and the scope never gets a key again)
  evict(scope: KeyScope): void {
    this.cache.evict(`${scopeKey(scope)}:`);
  }
  // Stryker restore BlockStatement,StringLiteral

  // Concurrent first writes in one scope race here; the unique (scope, version) index lets one win.
  private async insertKey(em: EntityManager, scope: KeyScope, version: number): Promise<void> {
    const dek = generateDataKey();
    // Stryker disable BlockStatement,CallExpression: wiping the plaintext DEK afterwards is memory hygiene, which no caller can observe
    try {
      const wrapped = wrapDataKey(this.ring, dek, dataKeyAad(scope, version));
      await this.keys.insertActive(em, scope, {
        id: randomUUID(),
        version,
        wrapped,
        masterKeyId: this.ring.activeKeyId,
        createdAt: this.clock.now(),
      });
    } finally {
      dek.fill(0);
    }
    // Stryker restore BlockStatement,CallExpression
  }

  private unwrapCached(scope: KeyScope, version: number, wrapped: Buffer): Buffer {
    const id = `${scopeKey(scope)}:${version}`;
    const cached = this.cache.get(id);
    // Stryker disable next-line ConditionalExpression: equivalent, see forDecryption
    if (cached) return cached;
    const key = unwrapDataKey(this.ring, wrapped, dataKeyAad(scope, version));
    // Stryker disable next-line CallExpression: equivalent, without it every use unwraps again (slower, same key)
    this.cache.set(id, key);
    return key;
  }
}
