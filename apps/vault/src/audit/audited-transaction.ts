import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ErrorCode, type CallContext } from '@lockwell/contracts';
import {
  CLOCK,
  LOGGER,
  LockwellError,
  Outbox,
  isDatabaseUnavailable,
  retryOnConflict,
  type Clock,
  type Logger,
  isUniqueViolation,
} from '@lockwell/service-kit';

export interface SecretAuditEntry {
  action: string;
  resourceId: string | null;
  tenantId: string | null;
  detail?: Record<string, unknown>;
}

/**
 * One unit of work of the vault: the change (or the access record of a read), its events and its audit record
 * commit together or not at all. The result is returned only after the commit, so when the audit row cannot
 * be written a read fails and its value never leaves the service (AUD-1). A transaction PostgreSQL aborts as a
 * deadlock or serialization failure runs again (bounded); a lost database answers 503 and applied nothing,
 * unless its COMMIT had already reached the server.
 */
@Injectable()
export class AuditedTransaction {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  async run<T>(
    ctx: CallContext,
    entry: SecretAuditEntry,
    work: (em: EntityManager, outbox: Outbox) => Promise<T>,
  ): Promise<T> {
    return this.runAll([{ ctx, entry }], work);
  }

  /**
   * The same unit of work for several operations at once (the batched reads of ReadRecorder): one audit record
   * each, all committed together or none.
   */
  async runAll<T>(
    audited: { ctx: CallContext; entry: SecretAuditEntry }[],
    work: (em: EntityManager, outbox: Outbox) => Promise<T>,
  ): Promise<T> {
    try {
      return await retryOnConflict(() =>
        this.em.fork().transactional(async (em) => {
          const result = await work(em, this.outbox);
          for (const { ctx, entry } of audited) this.outbox.audit(em, ctx, { ...entry, resourceType: 'secret' });
          // The outbox is the audit sink: writing it is the last step before commit, and its failure is named.
          await em.flush().catch((err: unknown) => {
            // A lost database or a lock conflict is not an audit problem: retried or answered 503 as such.
            if (isDatabaseUnavailable(err)) throw err;
            this.logger.error(
              {
                action: audited[0]!.entry.action,
                requestId: audited[0]!.ctx.requestId,
                records: audited.length,
                reason: (err as Error).name,
              },
              'audit record could not be written; operation refused',
            );
            throw new LockwellError(
              ErrorCode.AUDIT_UNAVAILABLE,
              'The operation could not be audited, so it was not performed',
            );
          });
          return result;
        }),
      );
    } catch (err) {
      if (err instanceof LockwellError) throw err;
      if (isUniqueViolation(err))
        throw new LockwellError(
          ErrorCode.SECRET_ALREADY_EXISTS,
          'A secret with this service_name and secret_key_name already exists in this environment',
        );
      throw err;
    }
  }

  /** Records a refused attempt (AUD-2) in its own transaction. */
  async denied(ctx: CallContext, entry: SecretAuditEntry): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      this.outbox.audit(em, ctx, { ...entry, resourceType: 'secret', outcome: 'denied' });
    });
  }
}
