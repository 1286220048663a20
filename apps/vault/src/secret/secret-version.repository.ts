import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface VersionRow {
  secret_id: string;
  version: number;
  ciphertext: Buffer;
  data_key_version: number;
  created_at: Date;
  created_by: string;
}

/** What opening a version needs. */
export type SealedValue = Pick<VersionRow, 'version' | 'ciphertext' | 'data_key_version'>;

/** The `secret_versions` table, part of the secret aggregate: always by the id of a secret the caller has already loaded within their reach. */
@Injectable()
export class SecretVersionRepository {
  async insert(em: EntityManager, row: VersionRow): Promise<void> {
    await em.execute(
      `insert into secret_versions (secret_id, version, ciphertext, data_key_version, created_at, created_by) values (?, ?, ?, ?, ?, ?)`,
      [row.secret_id, row.version, row.ciphertext, row.data_key_version, row.created_at.toISOString(), row.created_by],
    );
  }

  async get(em: EntityManager, secretId: string, version: number): Promise<VersionRow | undefined> {
    const rows = await em.execute<VersionRow[]>(`select * from secret_versions where secret_id = ? and version = ?`, [
      secretId,
      version,
    ]);
    return rows[0];
  }

  /** Newest first, metadata only (no ciphertext), after `beforeVersion` when paging. */
  async list(
    em: EntityManager,
    secretId: string,
    beforeVersion: number | undefined,
    limit: number,
  ): Promise<Omit<VersionRow, 'ciphertext' | 'data_key_version'>[]> {
    return em.execute(
      `select secret_id, version, created_at, created_by from secret_versions where secret_id = ?${beforeVersion ? ' and version < ?' : ''} order by version desc limit ?`,
      beforeVersion ? [secretId, beforeVersion, limit] : [secretId, limit],
    );
  }
}
