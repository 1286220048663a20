import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode } from '@lockwell/contracts';
import { buildAad, open, seal } from '@lockwell/crypto';
import { LOGGER, LockwellError, type Logger } from '@lockwell/service-kit';
import { DataKeyService } from '../keys/data-key.service.js';
import type { Scope } from '../keys/scope.js';

/**
 * ENC-3: the AAD binds a value to its scope, secret id, version and data-key version, so a ciphertext
 * copied to another row, version or tenant fails authentication instead of decrypting.
 */
export const secretAad = (scope: Scope, secretId: string, version: number, keyVersion: number): string =>
  buildAad({
    purpose: 'vault-secret',
    scope: scope.type,
    scope_id: scope.id,
    secret_id: secretId,
    version,
    key_version: keyVersion,
  });

/** Seals and opens secret values under the scope's data key. */
@Injectable()
export class SecretCipher {
  constructor(
    private readonly keys: DataKeyService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async encrypt(
    em: EntityManager,
    scope: Scope,
    secretId: string,
    version: number,
    plaintext: string,
  ): Promise<{ ciphertext: Buffer; keyVersion: number }> {
    const dek = await this.keys.forEncryption(em, scope);
    return {
      ciphertext: seal(dek.key, dek.version, plaintext, secretAad(scope, secretId, version, dek.version)),
      keyVersion: dek.version,
    };
  }

  async decrypt(
    em: EntityManager,
    scope: Scope,
    secretId: string,
    version: number,
    keyVersion: number,
    ciphertext: Buffer,
  ): Promise<string> {
    try {
      const dek = await this.keys.forDecryption(em, scope, keyVersion);
      return open(() => dek, ciphertext, secretAad(scope, secretId, version, keyVersion)).toString('utf8');
    } catch (err) {
      // Tampering, a moved ciphertext or a retired master key: never data, and nothing about the value logged.
      this.logger.error({ secretId, version, reason: (err as Error).name }, 'secret version failed to decrypt');
      throw new LockwellError(ErrorCode.INTERNAL, 'The stored secret could not be decrypted');
    }
  }
}
