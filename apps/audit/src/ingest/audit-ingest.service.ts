import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEventData, EventEnvelope } from '@lockwell/contracts';
import { CLOCK, type Clock } from '@lockwell/service-kit';
import { GENESIS_HASH, recordHash } from '../chain/canonical.js';
import { AuditRecordRepository } from '../record/audit-record.repository.js';
import { chainOf, type AuditRecordRow } from '../record/audit-record.row.js';
import { actAsWriter } from '../record/audit-writer.js';
import { sanitizeDetail } from './sanitize.js';

/**
 * Appends one audit event to its chain (its tenant's, or the global one), exactly once: under the chain's lock,
 * an event id already recorded is skipped (JetStream delivers at least once), otherwise the record takes the next
 * position and links to the chain's head by hash.
 */
@Injectable()
export class AuditIngestService {
  constructor(
    private readonly orm: MikroORM,
    private readonly records: AuditRecordRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns false when the event was already recorded. */
  async append(service: string, envelope: EventEnvelope, data: AuditEventData): Promise<boolean> {
    const chain = chainOf(data.tenant_id);
    return (this.orm.em.fork() as EntityManager).transactional(async (em) => {
      await actAsWriter(em);
      await this.records.lockChain(em, chain);
      if (await this.records.exists(em, chain, envelope.id)) return false;
      const head = await this.records.head(em, chain);
      const row: Omit<AuditRecordRow, 'hash'> = {
        id: envelope.id,
        chain,
        seq: (head?.seq ?? 0) + 1,
        time: new Date(data.time),
        tenant_id: data.tenant_id,
        service,
        actor_type: data.actor.type,
        actor_id: data.actor.id,
        action: data.action,
        resource_type: data.resource_type,
        resource_id: data.resource_id,
        outcome: data.outcome,
        request_id: data.request_id,
        ip: data.ip,
        user_agent: data.user_agent,
        detail: sanitizeDetail(data.detail) as Record<string, unknown>,
        prev_hash: head?.hash ?? GENESIS_HASH,
        recorded_at: this.clock.now(),
      };
      await this.records.insert(em, chain, { ...row, hash: recordHash(row) });
      return true;
    });
  }
}
