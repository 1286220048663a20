import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SecretCipher } from '../cipher/secret-cipher.js';
import { scopeOf, type SecretRow } from '../record/secret.row.js';
import { SecretVersionRepository, type SealedValue } from './secret-version.repository.js';

/** A secret's values: version `n` sealed under its scope's data key on write, opened on read. */
@Injectable()
export class SecretVersions {
  constructor(
    private readonly versions: SecretVersionRepository,
    private readonly cipher: SecretCipher,
  ) {}

  /** Seals `plaintext` as version `version` of `row`. */
  async seal(
    em: EntityManager,
    row: SecretRow,
    version: number,
    plaintext: string,
    userId: string,
    now: Date,
  ): Promise<void> {
    const sealed = await this.cipher.encrypt(em, scopeOf(row), row.id, version, plaintext);
    await this.versions.insert(em, {
      secret_id: row.id,
      version,
      ciphertext: sealed.ciphertext,
      data_key_version: sealed.keyVersion,
      created_at: now,
      created_by: userId,
    });
  }

  /** The plaintext of version `version` of `row`, or undefined when it has no such version. */
  async open(em: EntityManager, row: SecretRow, version: number): Promise<string | undefined> {
    const stored = await this.versions.get(em, row.id, version);
    return stored ? this.openSealed(em, row, stored) : undefined;
  }

  /** The plaintext of a version already loaded with its secret. */
  openSealed(em: EntityManager, row: SecretRow, sealed: SealedValue): Promise<string> {
    return this.cipher.decrypt(em, scopeOf(row), row.id, sealed.version, sealed.data_key_version, sealed.ciphertext);
  }
}
