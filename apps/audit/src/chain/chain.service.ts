import { Inject, Injectable } from '@nestjs/common';
import { IsolationLevel } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  AUDIT_VERIFY_MAX_RECORDS,
  ErrorCode,
  type AuditVerifyQuery,
  type AuditVerifyResult,
  type CallContext,
} from '@lockwell/contracts';
import { BUS_CREDENTIALS, LockwellError, type BusCredentials } from '@lockwell/service-kit';
import { randomUUID } from 'node:crypto';
import { auditScopeFor } from '../record/audit-access.js';
import { AuditRecordRepository } from '../record/audit-record.repository.js';
import { chainOf } from '../record/audit-record.row.js';
import { actAsWriter } from '../record/writer-role.js';
import { verifyChain } from './chain-verifier.js';
import { isAuthenticCheckpoint, signCheckpoint } from './checkpoint-signature.js';
import { CheckpointRepository } from './checkpoint.repository.js';

/** The chains as a whole: verification, signed checkpoints of their heads, and retention behind a checkpoint. */
@Injectable()
export class ChainService {
  constructor(
    private readonly em: EntityManager,
    private readonly records: AuditRecordRepository,
    private readonly checkpoints: CheckpointRepository,
    @Inject(BUS_CREDENTIALS) private readonly bus: BusCredentials,
  ) {}

  /**
   * `GET /audit/verify`: a tenant's chain, or the global chain (installation auditors only), from its start or
   * (`after_sequence`) right after one of its signed checkpoints, for about `max_records` records.
   */
  async verify(ctx: CallContext, query: AuditVerifyQuery): Promise<AuditVerifyResult> {
    const { tenant_id: tenantId, after_sequence: afterSeq = 0 } = query;
    const scope = auditScopeFor(ctx, tenantId);
    // Without a tenant, auditScopeFor has already required audit:read-all: the global chain is theirs.
    const chain = chainOf('tenantId' in scope ? scope.tenantId : null);
    // One repeatable-read snapshot: records the consumer appends meanwhile do not make the walk inconsistent.
    return this.em.fork().transactional(
      async (em) => {
        await actAsWriter(em);
        const checkpoints = await this.checkpoints.from(em, chain, afterSeq);
        const anchor = afterSeq > 0 ? checkpoints.find((c) => c.seq === afterSeq) : undefined;
        if (afterSeq > 0 && !anchor)
          throw new LockwellError(ErrorCode.VALIDATION_FAILED, 'after_sequence must name a checkpoint of the chain', [
            {
              field: 'after_sequence',
              issue: 'not a checkpoint position (use next_after_sequence of the last answer)',
            },
          ]);
        return verifyChain(
          {
            records: (after, limit) => this.records.walk(em, chain, after, limit),
            checkpoints,
            isAuthentic: (c) => isAuthenticCheckpoint(this.bus, c),
          },
          { anchor, maxRecords: query.max_records ?? AUDIT_VERIFY_MAX_RECORDS },
        );
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ },
    );
  }

  /** Signs a checkpoint for every chain whose head moved since its last one; returns how many were written. */
  async checkpointAll(now: Date): Promise<number> {
    return this.em.fork().transactional(async (em) => {
      await actAsWriter(em);
      const done = await this.checkpoints.latestOfEach(em);
      let written = 0;
      for (const head of await this.records.heads(em)) {
        if ((done.get(head.chain) ?? 0) >= head.seq) continue;
        const c = { chain: head.chain, seq: head.seq, record_count: head.seq, head_hash: head.hash, created_at: now };
        await this.checkpoints.insert(em, head.chain, { id: randomUUID(), ...c, ...signCheckpoint(this.bus, c) });
        written++;
      }
      return written;
    });
  }

  /** Retention: removes, per chain, the records up to the newest checkpoint older than `before` (never a chain's head). */
  async prune(before: Date): Promise<number> {
    return this.em.fork().transactional(async (em) => {
      await actAsWriter(em);
      let removed = 0;
      for (const p of await this.records.prunablePrefixes(em, before)) {
        await this.records.lockChain(em, p.chain);
        removed += await this.records.prunePrefix(em, p.chain, p.seq);
      }
      return removed;
    });
  }
}
