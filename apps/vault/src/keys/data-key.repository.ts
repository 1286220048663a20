import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KeyScope } from './scope.js';

/** A `data_keys` row as the key service reads it. */
export interface DataKeyRow {
  version: number;
  wrapped_key: Buffer;
  encryption_count: string;
  created_at: Date;
}

/** A data key as master-key rotation re-wraps it. */
export interface WrappedDataKey {
  id: string;
  scope_type: KeyScope['type'];
  scope_id: string;
  version: number;
  wrapped_key: Buffer;
}

/**
 * The `data_keys` table. Every statement about a key names its scope (tenant, user or connector service) first; master-key
 * rotation, which re-wraps the keys of every scope, is the one installation-wide reader.
 */
@Injectable()
export class DataKeyRepository {
  /** Counts one more encryption on the scope's active key (row-locked until the caller commits) and returns it. */
  async countEncryption(em: EntityManager, scope: KeyScope): Promise<DataKeyRow | undefined> {
    const rows = await em.execute<DataKeyRow[]>(
      `update data_keys set encryption_count = encryption_count + 1 where scope_type = ? and scope_id = ? and state = 'active' returning version, wrapped_key, encryption_count, created_at`,
      [scope.type, scope.id],
    );
    return rows[0];
  }

  /** Demotes the scope's active key to decrypt-only. */
  async retireActive(em: EntityManager, scope: KeyScope): Promise<void> {
    await em.execute(
      `update data_keys set state = 'decrypt_only' where scope_type = ? and scope_id = ? and state = 'active'`,
      [scope.type, scope.id],
    );
  }

  /** Adds the scope's active key `version`; a concurrent insert of the same version wins silently (unique index). */
  async insertActive(
    em: EntityManager,
    scope: KeyScope,
    key: { id: string; version: number; wrapped: Buffer; masterKeyId: number; createdAt: Date },
  ): Promise<void> {
    await em.execute(
      `insert into data_keys (id, scope_type, scope_id, version, wrapped_key, master_key_id, state, encryption_count, created_at)
       values (?, ?, ?, ?, ?, ?, 'active', 0, ?) on conflict do nothing`,
      [key.id, scope.type, scope.id, key.version, key.wrapped, key.masterKeyId, key.createdAt.toISOString()],
    );
  }

  /** The wrapped key of the scope's `version` (any state). */
  async wrappedKey(em: EntityManager, scope: KeyScope, version: number): Promise<Buffer | undefined> {
    const rows = await em.execute<{ wrapped_key: Buffer }[]>(
      `select wrapped_key from data_keys where scope_type = ? and scope_id = ? and version = ?`,
      [scope.type, scope.id, version],
    );
    return rows[0]?.wrapped_key;
  }

  /** Crypto-shredding: every key of the scope. */
  async destroyAllOf(em: EntityManager, scope: KeyScope): Promise<void> {
    await em.execute(`delete from data_keys where scope_type = ? and scope_id = ?`, [scope.type, scope.id]);
  }

  // --- master-key rotation (installation-wide)

  /** Claims up to `limit` keys still wrapped by another master key than `activeId` (FOR UPDATE SKIP LOCKED). */
  claimWrappedByOlder(em: EntityManager, activeId: number, limit: number): Promise<WrappedDataKey[]> {
    return em.execute<WrappedDataKey[]>(
      `select id, scope_type, scope_id, version, wrapped_key from data_keys where master_key_id <> ? order by id limit ? for update skip locked`,
      [activeId, limit],
    );
  }

  async rewrap(em: EntityManager, scope: KeyScope, id: string, wrapped: Buffer, masterKeyId: number): Promise<void> {
    await em.execute(
      `update data_keys set wrapped_key = ?, master_key_id = ? where scope_type = ? and scope_id = ? and id = ?`,
      [wrapped, masterKeyId, scope.type, scope.id, id],
    );
  }

  async countWrappedByOlder(em: EntityManager, activeId: number): Promise<number> {
    const [{ count }] = await em.execute<{ count: string }[]>(
      `select count(*) as count from data_keys where master_key_id <> ?`,
      [activeId],
    );
    return Number(count);
  }

  async countByMasterKey(em: EntityManager): Promise<{ master_key_id: number; count: number }[]> {
    const rows = await em.execute<{ master_key_id: number; count: string }[]>(
      `select master_key_id, count(*) as count from data_keys group by master_key_id order by master_key_id`,
    );
    return rows.map((r) => ({ master_key_id: Number(r.master_key_id), count: Number(r.count) }));
  }
}
