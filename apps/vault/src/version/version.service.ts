import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ErrorCode,
  SecretRotated,
  type CallContext,
  type SecretScope,
  type SecretWithValue,
} from '@lockwell/contracts';
import { LockwellError, requirePrincipal } from '@lockwell/service-kit';
import { mayRead } from '../access/secret-access.policy.js';
import { AuditedTransaction } from '../audit/audited-transaction.js';
import { secretEvent } from '../events/secret-events.js';
import { readPayload } from '../payload/secret-payload.js';
import { assertIfMatch } from '../record/if-match.js';
import { scopeOf, toMetadata } from '../record/secret.row.js';
import { SecretLookup } from '../secret/secret-lookup.js';
import { SecretVersionRepository } from '../secret/secret-version.repository.js';
import { SecretVersions } from '../secret/secret-versions.js';
import { SecretRepository } from '../secret/secret.repository.js';

const iso = (d: Date) => new Date(d).toISOString();

/**
 * Version history (metadata only) and rollback, which re-seals an old value as a new version. The history pages
 * by version number (the cursor is the last version shown), not by the kit's (time, id) keyset: versions of one
 * secret are numbered densely.
 */
@Injectable()
export class VersionService {
  constructor(
    private readonly em: EntityManager,
    private readonly lookup: SecretLookup,
    private readonly secrets: SecretRepository,
    private readonly history: SecretVersionRepository,
    private readonly versions: SecretVersions,
    private readonly tx: AuditedTransaction,
  ) {}

  async list(ctx: CallContext, scope: SecretScope, secretId: string, limit: number, cursor: string | undefined) {
    const row = await this.lookup.findAuthorized(ctx, scope, secretId, 'metadata', 'secret.versions');
    let before: number | undefined;
    if (cursor !== undefined) {
      before = Number(cursor);
      if (!/^[1-9][0-9]{0,9}$/.test(cursor))
        throw new LockwellError(ErrorCode.INVALID_CURSOR, 'The cursor is not valid');
    }
    const rows = await this.history.list(this.em, row.id, before, limit + 1);
    const items = rows.slice(0, limit);
    return {
      items: items.map((v) => ({
        version: v.version,
        current: v.version === row.current_version,
        created_at: iso(v.created_at),
        created_by: v.created_by,
      })),
      next_cursor: rows.length > limit ? String(items.at(-1)!.version) : null,
    };
  }

  async rollback(
    ctx: CallContext,
    scope: SecretScope,
    secretId: string,
    version: number,
    ifMatch: string | undefined,
  ): Promise<SecretWithValue> {
    const principal = requirePrincipal(ctx);
    const probe = await this.lookup.findAuthorized(ctx, scope, secretId, 'write', 'secret.rollback');
    return this.tx.run(
      ctx,
      { action: 'secret.rollback', resourceId: probe.id, tenantId: probe.tenant_id, detail: { from_version: version } },
      async (em, outbox) => {
        const row = await this.lookup.lockAuthorized(em, ctx, scope, secretId, 'write');
        assertIfMatch(ifMatch, row.current_version);
        const plaintext = await this.versions.open(em, row, version);
        if (plaintext === undefined)
          throw new LockwellError(ErrorCode.VERSION_NOT_FOUND, 'No such version of this secret');
        const now = this.tx.now();
        const next = row.current_version + 1;
        await this.versions.seal(em, row, next, plaintext, principal.userId, now);
        const updated = await this.secrets.update(em, scopeOf(row), row.id, { current_version: next, updated_at: now });
        outbox.emit(em, SecretRotated, secretEvent(updated, ctx), updated.tenant_id);
        return { ...toMetadata(updated), ...(mayRead(ctx, updated) ? readPayload(updated.type, plaintext) : {}) };
      },
    );
  }
}
