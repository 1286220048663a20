import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, type CallContext, type SecretScope } from '@lockwell/contracts';
import { LockwellError } from '@lockwell/service-kit';
import { authorizeSecret, reachOf, type SecretAction } from '../access/secret-access.policy.js';
import { AuditedTransaction } from '../audit/audited-transaction.js';
import type { SecretRow } from '../record/secret.row.js';
import type { SealedValue } from './secret-version.repository.js';
import { SecretRepository } from './secret.repository.js';

export const secretNotFound = () => new LockwellError(ErrorCode.SECRET_NOT_FOUND, 'Secret not found');

/**
 * Finding a secret for a caller: loaded only within their reach (their personal space or their tenants), then
 * authorised; a refusal (FORBIDDEN) is audited as denied (AUD-2) before it propagates. Every route on one
 * secret (value, metadata, versions, where-used) starts here.
 */
@Injectable()
export class SecretLookup {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretRepository,
    private readonly tx: AuditedTransaction,
  ) {}

  /** The secret, checked for `action`, outside any transaction (a probe before the audited one). */
  async findAuthorized(
    ctx: CallContext,
    scopeType: SecretScope,
    secretId: string,
    action: SecretAction | 'metadata',
    auditAction: string,
  ): Promise<SecretRow> {
    const row = await this.secrets.find(this.em, reachOf(ctx, scopeType), secretId);
    if (!row) throw secretNotFound();
    await this.audited(ctx, row, auditAction, () => authorizeSecret(ctx, row, action));
    return row;
  }

  /** The same for a value read, with the sealed `version` (the current one when null) loaded alongside. */
  async findReadable(
    ctx: CallContext,
    scopeType: SecretScope,
    secretId: string,
    version: number | null,
  ): Promise<{ row: SecretRow; sealed: SealedValue | undefined }> {
    const found = await this.secrets.findWithSealed(this.em, reachOf(ctx, scopeType), secretId, version);
    if (!found) throw secretNotFound();
    await this.audited(ctx, found.row, 'secret.read', () => authorizeSecret(ctx, found.row, 'read'));
    return found;
  }

  /** The secret locked for update inside `em`'s transaction, checked again for `action` (it may have moved). */
  async lockAuthorized(
    em: EntityManager,
    ctx: CallContext,
    scopeType: SecretScope,
    secretId: string,
    action: SecretAction,
  ): Promise<SecretRow> {
    const row = await this.secrets.find(em, reachOf(ctx, scopeType), secretId, { lock: true });
    if (!row) throw secretNotFound();
    authorizeSecret(ctx, row, action);
    return row;
  }

  /** Runs an authorisation check on `row`; a refusal is audited as denied under the secret's action (AUD-2) before it propagates. */
  async audited(ctx: CallContext, row: SecretRow, auditAction: string, check: () => void): Promise<void> {
    try {
      check();
    } catch (err) {
      if (err instanceof LockwellError && err.isDenial) {
        await this.tx.denied(ctx, { action: auditAction, resourceId: row.id, tenantId: row.tenant_id });
        err.deniedRecorded = true;
      }
      throw err;
    }
  }
}
