import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, SecretRotated, type CallContext, type SecretScope, type SecretWithValue } from '@lockwell/contracts';
import { LockwellError, requirePrincipal } from '@lockwell/service-kit';
import { AuditedTransaction } from '../secret/audited-transaction.js';
import { mayRead, authorizeSecret } from '../secret/secret-access.policy.js';
import { SecretCipher } from '../secret/secret-cipher.js';
import { secretEvent } from '../secret/secret-events.js';
import { readPayload } from '../secret/secret-payload.js';
import { SecretRepository } from '../secret/secret.repository.js';
import { scopeOf, toMetadata } from '../secret/secret.row.js';
import { assertIfMatch, SecretService } from '../secret/secret.service.js';
import { VersionRepository } from './version.repository.js';

const iso = (d: Date) => new Date(d).toISOString();

/** Version history (metadata only) and rollback, which re-seals an old value as a new version. */
@Injectable()
export class VersionService {
  constructor(
    private readonly em: EntityManager,
    private readonly secretsService: SecretService,
    private readonly secrets: SecretRepository,
    private readonly versions: VersionRepository,
    private readonly cipher: SecretCipher,
    private readonly tx: AuditedTransaction,
  ) {}

  async list(scope: SecretScope, secretId: string, limit: number, cursor: string | undefined, ctx: CallContext) {
    const row = await this.secretsService.findAuthorized(scope, secretId, ctx, 'metadata', 'secret.versions');
    let before: number | undefined;
    if (cursor !== undefined) {
      before = Number(cursor);
      if (!/^[1-9][0-9]{0,9}$/.test(cursor)) throw new LockwellError(ErrorCode.INVALID_CURSOR, 'The cursor is not valid');
    }
    const rows = await this.versions.list(this.em, row.id, before, limit + 1);
    const items = rows.slice(0, limit);
    return {
      items: items.map((v) => ({ version: v.version, current: v.version === row.current_version, created_at: iso(v.created_at), created_by: v.created_by })),
      next_cursor: rows.length > limit ? String(items.at(-1)!.version) : null,
    };
  }

  async rollback(scope: SecretScope, secretId: string, version: number, ifMatch: string | undefined, ctx: CallContext): Promise<SecretWithValue> {
    const principal = requirePrincipal(ctx);
    const probe = await this.secretsService.findAuthorized(scope, secretId, ctx, 'write', 'secret.rollback');
    return this.tx.run(ctx, { action: 'secret.rollback', resourceId: probe.id, tenantId: probe.tenant_id, detail: { from_version: version } }, async (em, outbox) => {
      const row = await this.secrets.find(em, scope, secretId, { lock: true });
      if (!row) throw new LockwellError(ErrorCode.SECRET_NOT_FOUND, 'Secret not found');
      authorizeSecret(ctx, row, 'write');
      assertIfMatch(ifMatch, row.current_version);
      const old = await this.versions.get(em, row.id, version);
      if (!old) throw new LockwellError(ErrorCode.VERSION_NOT_FOUND, 'No such version of this secret');
      const plaintext = await this.cipher.decrypt(em, scopeOf(row), row.id, old.version, old.data_key_version, old.ciphertext);
      const now = this.tx.now();
      const next = row.current_version + 1;
      await this.secretsService.writeVersion(em, row, next, { plaintext, secretValue: '' }, principal.userId, now);
      const updated = await this.secrets.update(em, row.id, { current_version: next, updated_at: now });
      outbox.emit(em, SecretRotated, secretEvent(updated, ctx), updated.tenant_id);
      return { ...toMetadata(updated), ...(mayRead(ctx, updated) ? readPayload(updated.type, plaintext) : {}) };
    });
  }
}
