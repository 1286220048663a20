import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  DEFAULT_ENVIRONMENT,
  ErrorCode,
  InactiveSecretRead,
  SecretCreated,
  SecretDeleted,
  SecretDeletionCancelled,
  SecretDeletionScheduled,
  SecretRotated,
  SecretUpdated,
  type CallContext,
  type Page,
  type RpcRequestParsed,
  type SecretMetadata,
  type SecretScope,
  type SecretWithValue,
  type VaultSecretCreate,
  type VaultSecretList,
  type VaultSecretUpdate,
} from '@lockwell/contracts';
import { decodeCursor, LockwellError, pageFrom, requirePrincipal } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import {
  authorizeEnvironmentMove,
  listableEnvironments,
  mayRead,
  personalScope,
  tenantScopeFor,
} from '../access/secret-access.policy.js';
import { AuditedTransaction, type SecretAuditEntry } from '../audit/audited-transaction.js';
import { secretEvent } from '../events/secret-events.js';
import { PurgedScopeRepository } from '../keys/purged-scope.repository.js';
import type { Scope } from '../keys/scope.js';
import { buildPayload, readPayload } from '../payload/secret-payload.js';
import { assertIfMatch } from '../record/if-match.js';
import { scopeOf, toMetadata, type SecretRow } from '../record/secret.row.js';
import { VAULT_SETTINGS, type VaultSettings } from '../vault-settings.js';
import { ReadRecorder } from './read-recorder.js';
import { SecretLookup } from './secret-lookup.js';
import { SecretUsageRepository, type Consumer } from './secret-usage.repository.js';
import { SecretVersions } from './secret-versions.js';
import { SecretRepository } from './secret.repository.js';

const DAY_MS = 86_400_000;

/** The consumer a read is recorded for (where-used). */
export function consumerOf(ctx: CallContext): Consumer {
  const p = requirePrincipal(ctx);
  return p.kind === 'api_token' && p.tokenId ? { type: 'api_token', id: p.tokenId } : { type: 'user', id: p.userId };
}

/**
 * Secrets of both scopes: create, list, read (with access record, reactivation and audit in one
 * transaction), update (new version on a new value), delete now or scheduled, cancel deletion.
 */
@Injectable()
export class SecretService {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretRepository,
    private readonly lookup: SecretLookup,
    private readonly versions: SecretVersions,
    private readonly usage: SecretUsageRepository,
    private readonly purged: PurgedScopeRepository,
    private readonly tx: AuditedTransaction,
    private readonly reads: ReadRecorder,
    @Inject(VAULT_SETTINGS) private readonly settings: VaultSettings,
  ) {}

  async create(ctx: CallContext, req: RpcRequestParsed<typeof VaultSecretCreate>): Promise<SecretWithValue> {
    const principal = requirePrincipal(ctx);
    const environment = req.environment ?? DEFAULT_ENVIRONMENT;
    let scope: Scope;
    if (req.scope === 'user') {
      if (req.tenant_id !== undefined)
        throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
          { field: 'tenant_id', issue: 'personal secrets have no tenant' },
        ]);
      scope = personalScope(ctx);
    } else {
      if (!req.tenant_id)
        throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
          { field: 'tenant_id', issue: 'required' },
        ]);
      scope = tenantScopeFor(ctx, req.tenant_id, 'write', environment);
    }
    const type = req.type ?? 'generic';
    const payload = await buildPayload(type, req);
    const now = this.tx.now();
    const id = randomUUID();
    const row: SecretRow = {
      id,
      scope_type: scope.type,
      tenant_id: scope.type === 'tenant' ? scope.id : null,
      owner_id: scope.type === 'user' ? scope.id : null,
      service_name: req.service_name,
      secret_key_name: req.secret_key_name,
      type,
      environment,
      description: req.description ?? null,
      tags: req.tags ?? [],
      current_version: 1,
      status: 'active',
      expires_at: payload.expiresAt ?? (req.expires_at ? new Date(req.expires_at) : null),
      expiry_notified_for: null,
      deletion_scheduled_at: null,
      last_accessed_at: null,
      activity_at: now,
      inactive_since: null,
      rotation_interval_days: req.rotation_interval_days ?? null,
      created_at: now,
      updated_at: now,
      created_by: principal.userId,
    };
    await this.tx.run(
      ctx,
      {
        action: 'secret.create',
        resourceId: id,
        tenantId: row.tenant_id,
        detail: { scope: scope.type, type, environment },
      },
      async (em, outbox) => {
        if (await this.purged.isPurged(em, scope))
          throw new LockwellError(
            scope.type === 'tenant' ? ErrorCode.TENANT_NOT_FOUND : ErrorCode.USER_NOT_FOUND,
            'Not found',
          );
        const quota = scope.type === 'tenant' ? this.settings.maxSecretsPerTenant : this.settings.maxSecretsPerUser;
        if ((await this.secrets.lockAndCount(em, scope)) >= quota) throw quotaExceeded(scope.type, quota);
        if (await this.secrets.nameTaken(em, scope, row, id)) throw taken();
        await this.secrets.insert(em, row);
        await this.versions.seal(em, row, 1, payload.plaintext, principal.userId, now);
        outbox.emit(em, SecretCreated, secretEvent(row, ctx), row.tenant_id);
      },
    );
    return { ...toMetadata(row), secret_value: payload.secretValue, ...(payload.data ? { data: payload.data } : {}) };
  }

  async list(ctx: CallContext, req: RpcRequestParsed<typeof VaultSecretList>): Promise<Page<SecretMetadata>> {
    let scope: Scope;
    let environments: string[] | null = null;
    if (req.scope === 'user') {
      if (req.tenant_id !== undefined)
        throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
          { field: 'tenant_id', issue: 'personal secrets have no tenant' },
        ]);
      scope = personalScope(ctx);
    } else {
      if (!req.tenant_id)
        throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'The request is invalid', [
          { field: 'tenant_id', issue: 'required' },
        ]);
      environments = listableEnvironments(ctx, req.tenant_id);
      scope = { type: 'tenant', id: req.tenant_id };
    }
    if (req.environment)
      environments = environments === null || environments.includes(req.environment) ? [req.environment] : [];
    const cursor = req.cursor ? decodeCursor(req.cursor) : undefined;
    const page = pageFrom(
      await this.secrets.list(this.em, scope, { ...req, environments }, cursor, req.limit + 1),
      req.limit,
      (r) => ({ at: new Date(r.created_at), id: r.id }),
    );
    await this.reads.recordAudit(ctx, {
      action: 'secret.list',
      resourceId: null,
      tenantId: scope.type === 'tenant' ? scope.id : null,
      detail: { scope: scope.type, count: page.rows.length },
    });
    return { items: page.rows.map((r) => toMetadata(r)), next_cursor: page.next_cursor };
  }

  /** Metadata only: no decryption and no access record, so showing a secret does not count as using it. */
  async metadata(ctx: CallContext, scopeType: SecretScope, secretId: string): Promise<SecretMetadata> {
    return toMetadata(await this.lookup.findAuthorized(ctx, scopeType, secretId, 'metadata', 'secret.metadata'));
  }

  /**
   * Reads a value. The access record, "last accessed" (reactivation included) and the audit record commit before
   * the value is returned: if any of them cannot be written the value never leaves (AUD-1). Reads of active
   * secrets share their commit with concurrent ones (ReadRecorder); others get a transaction of their own.
   */
  async get(
    ctx: CallContext,
    scopeType: SecretScope,
    secretId: string,
    version: number | undefined,
  ): Promise<SecretWithValue> {
    const { row, sealed } = await this.lookup.findReadable(ctx, scopeType, secretId, version ?? null);
    const wanted = version ?? row.current_version;
    const entry = { action: 'secret.read', resourceId: row.id, tenantId: row.tenant_id, detail: { version: wanted } };
    const now = this.tx.now();
    if (!this.reads.batchable(row, now)) return this.getAlone(ctx, row, wanted, entry);
    // Versions never change once written, so the value is opened before the batch commits its records.
    if (!sealed) throw versionNotFound();
    const plaintext = await this.versions.openSealed(this.em, row, sealed);
    await this.reads.recordRead(ctx, row, consumerOf(ctx), entry);
    return { ...toMetadata({ ...row, last_accessed_at: now }, wanted), ...readPayload(row.type, plaintext) };
  }

  /** A read in its own transaction, which also reactivates an inactive or scheduled secret. */
  private getAlone(
    ctx: CallContext,
    row: SecretRow,
    wanted: number,
    entry: SecretAuditEntry,
  ): Promise<SecretWithValue> {
    return this.tx.run(ctx, entry, async (em, outbox) => {
      const plaintext = await this.versions.open(em, row, wanted);
      if (plaintext === undefined) throw versionNotFound();
      const now = this.tx.now();
      const { reactivated } = await this.secrets.markRead(em, scopeOf(row), row.id, now);
      await this.usage.record(em, row.id, consumerOf(ctx), now);
      const current = reactivated ?? { ...row, last_accessed_at: now };
      if (reactivated)
        outbox.emit(em, InactiveSecretRead, { ...secretEvent(reactivated, ctx), status: row.status }, row.tenant_id);
      return { ...toMetadata(current, wanted), ...readPayload(row.type, plaintext) };
    });
  }

  async update(ctx: CallContext, req: RpcRequestParsed<typeof VaultSecretUpdate>): Promise<SecretWithValue> {
    const principal = requirePrincipal(ctx);
    const probe = await this.lookup.findAuthorized(ctx, req.scope, req.secret_id, 'write', 'secret.update');
    if (req.environment !== undefined)
      await this.lookup.audited(ctx, probe, 'secret.update', () =>
        authorizeEnvironmentMove(ctx, probe, req.environment!),
      );
    const newValue =
      req.secret_value !== undefined || req.data !== undefined ? await buildPayload(probe.type, req) : undefined;
    const { row, value } = await this.tx.run(
      ctx,
      {
        action: 'secret.update',
        resourceId: probe.id,
        tenantId: probe.tenant_id,
        detail: { new_version: newValue !== undefined },
      },
      async (em, outbox) => {
        const locked = await this.lookup.lockAuthorized(em, ctx, req.scope, req.secret_id, 'write');
        assertIfMatch(req.if_match, locked.current_version);
        const changes: Partial<SecretRow> = {};
        for (const key of [
          'service_name',
          'secret_key_name',
          'environment',
          'description',
          'tags',
          'rotation_interval_days',
        ] as const) {
          if (req[key] !== undefined) (changes as Record<string, unknown>)[key] = req[key];
        }
        if (req.expires_at !== undefined) changes.expires_at = req.expires_at ? new Date(req.expires_at) : null;
        if (newValue?.expiresAt) changes.expires_at = newValue.expiresAt;
        const renamed = { ...locked, ...changes };
        if (changes.environment) authorizeEnvironmentMove(ctx, locked, changes.environment);
        if (
          (changes.environment || changes.service_name || changes.secret_key_name) &&
          (await this.secrets.nameTaken(em, scopeOf(locked), renamed, locked.id))
        )
          throw taken();
        const now = this.tx.now();
        if (newValue) {
          changes.current_version = locked.current_version + 1;
          await this.versions.seal(em, locked, changes.current_version, newValue.plaintext, principal.userId, now);
        }
        const metadataChanged = (
          [
            'service_name',
            'secret_key_name',
            'environment',
            'description',
            'tags',
            'rotation_interval_days',
            'expires_at',
          ] as const
        ).some((k) => req[k] !== undefined);
        const updated = await this.secrets.update(em, scopeOf(locked), locked.id, { ...changes, updated_at: now });
        if (newValue) outbox.emit(em, SecretRotated, secretEvent(updated, ctx), updated.tenant_id);
        if (metadataChanged) outbox.emit(em, SecretUpdated, secretEvent(updated, ctx), updated.tenant_id);
        let value: { secret_value: string; data?: Record<string, unknown> } | undefined;
        if (newValue) value = { secret_value: newValue.secretValue, ...(newValue.data ? { data: newValue.data } : {}) };
        // A stored value goes back only to a caller who may read it where it was and where it is now.
        else if (mayRead(ctx, locked) && mayRead(ctx, updated)) {
          value = readPayload(updated.type, (await this.versions.open(em, updated, updated.current_version))!);
        }
        return { row: updated, value };
      },
    );
    return { ...toMetadata(row), ...value };
  }

  async delete(
    ctx: CallContext,
    scopeType: SecretScope,
    secretId: string,
    mode: 'now' | 'schedule',
    ifMatch: string | undefined,
  ): Promise<SecretMetadata | null> {
    const probe = await this.lookup.findAuthorized(
      ctx,
      scopeType,
      secretId,
      'delete',
      mode === 'now' ? 'secret.delete' : 'secret.schedule-deletion',
    );
    return this.tx.run(
      ctx,
      {
        action: mode === 'now' ? 'secret.delete' : 'secret.schedule-deletion',
        resourceId: probe.id,
        tenantId: probe.tenant_id,
      },
      async (em, outbox) => {
        const row = await this.lookup.lockAuthorized(em, ctx, scopeType, secretId, 'delete');
        assertIfMatch(ifMatch, row.current_version);
        if (mode === 'now') {
          await this.secrets.destroy(em, scopeOf(row), row.id);
          outbox.emit(em, SecretDeleted, secretEvent(row, ctx), row.tenant_id);
          return null;
        }
        if (row.status === 'scheduled_for_deletion')
          throw new LockwellError(ErrorCode.INVALID_STATE, 'The secret is already scheduled for deletion');
        const now = this.tx.now();
        const updated = await this.secrets.update(em, scopeOf(row), row.id, {
          status: 'scheduled_for_deletion',
          deletion_scheduled_at: new Date(now.getTime() + this.settings.deletionDelayDays * DAY_MS),
          updated_at: now,
        });
        outbox.emit(em, SecretDeletionScheduled, secretEvent(updated, ctx), row.tenant_id);
        return toMetadata(updated);
      },
    );
  }

  async cancelDeletion(ctx: CallContext, scopeType: SecretScope, secretId: string): Promise<SecretMetadata> {
    const probe = await this.lookup.findAuthorized(ctx, scopeType, secretId, 'delete', 'secret.cancel-deletion');
    return this.tx.run(
      ctx,
      { action: 'secret.cancel-deletion', resourceId: probe.id, tenantId: probe.tenant_id },
      async (em, outbox) => {
        const row = await this.lookup.lockAuthorized(em, ctx, scopeType, secretId, 'delete');
        if (row.status !== 'scheduled_for_deletion')
          throw new LockwellError(ErrorCode.INVALID_STATE, 'The secret is not scheduled for deletion');
        const now = this.tx.now();
        // A fresh activity time, or the lifecycle job would mark it inactive again at once.
        const updated = await this.secrets.update(em, scopeOf(row), row.id, {
          status: 'active',
          deletion_scheduled_at: null,
          inactive_since: null,
          activity_at: now,
          updated_at: now,
        });
        outbox.emit(em, SecretDeletionCancelled, secretEvent(updated, ctx), row.tenant_id);
        return toMetadata(updated);
      },
    );
  }
}

const quotaExceeded = (scope: Scope['type'], quota: number) =>
  new LockwellError(
    ErrorCode.QUOTA_EXCEEDED,
    `This ${scope === 'tenant' ? 'tenant' : 'personal space'} already holds the maximum of ${quota} secrets; delete some first`,
    [{ field: scope === 'tenant' ? 'tenant_id' : 'scope', issue: 'secret quota reached' }],
  );

const versionNotFound = () => new LockwellError(ErrorCode.VERSION_NOT_FOUND, 'No such version of this secret');

const taken = () =>
  new LockwellError(
    ErrorCode.SECRET_ALREADY_EXISTS,
    'A secret with this service_name and secret_key_name already exists in this environment',
  );
