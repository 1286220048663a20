import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEventData, EventEnvelope } from '@lockwell/contracts';
import { CLOCK, type Clock } from '@lockwell/service-kit';
import { GENESIS_HASH, recordHash } from '../chain/canonical.js';
import { AuditRecordRepository } from '../record/audit-record.repository.js';
import { chainOf, type AuditRecordRow } from '../record/audit-record.row.js';
import { actAsWriter } from '../record/writer-role.js';
import { sanitizeDetail, storableText } from './sanitize.js';

/** One audit event as it came off the stream: the service that emitted it (its subject's owner), its envelope and data. */
export interface IncomingAuditEvent {
  service: string;
  envelope: EventEnvelope;
  data: AuditEventData;
}

/**
 * Appends audit events to their chains (a tenant's, or the global one), each exactly once, in the order given: per
 * chain, under the chain's lock, an event id already recorded is skipped (JetStream delivers at least once), and
 * each new record takes the next position and links to the previous head by hash. A batch is one transaction:
 * all of it is recorded, or none (the consumer then retries the events one by one).
 */
@Injectable()
export class AuditIngestService {
  constructor(
    private readonly orm: MikroORM,
    private readonly records: AuditRecordRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns how many records were added (duplicates are not). */
  async append(events: IncomingAuditEvent[]): Promise<number> {
    const byChain = new Map<string, IncomingAuditEvent[]>();
    for (const e of events) {
      const chain = chainOf(e.data.tenant_id);
      byChain.set(chain, [...(byChain.get(chain) ?? []), e]);
    }
    // Chains locked in one order, so two replicas appending overlapping batches cannot deadlock.
    const chains = [...byChain.keys()].sort();
    return (this.orm.em.fork() as EntityManager).transactional(async (em) => {
      await actAsWriter(em);
      let added = 0;
      for (const chain of chains) {
        await this.records.lockChain(em, chain);
        const incoming = byChain.get(chain)!;
        const known = await this.records.existing(
          em,
          chain,
          incoming.map((e) => e.envelope.id),
        );
        let head: { seq: number; hash: string } | null = await this.records.head(em, chain);
        const rows: AuditRecordRow[] = [];
        for (const e of incoming) {
          if (known.has(e.envelope.id)) continue;
          known.add(e.envelope.id);
          const row = this.toRow(chain, e, head);
          const hash = recordHash(row);
          rows.push({ ...row, hash });
          head = { seq: row.seq, hash };
        }
        const written = await this.records.insert(em, chain, rows);
        // A skipped row would leave its successors linked to nothing: undo, and let the caller go event by event
        // (alone, a skipped event is simply a duplicate).
        if (written !== rows.length && rows.length > 1)
          throw new Error(`an event of this batch is already recorded in another chain`);
        added += written;
      }
      return added;
    });
  }

  private toRow(
    chain: string,
    { service, envelope, data }: IncomingAuditEvent,
    head: { seq: number; hash: string } | null,
  ): Omit<AuditRecordRow, 'hash'> {
    return {
      id: envelope.id,
      chain,
      seq: (head?.seq ?? 0) + 1,
      time: new Date(data.time),
      tenant_id: data.tenant_id,
      service,
      actor_type: data.actor.type,
      actor_id: storableText(data.actor.id),
      action: storableText(data.action),
      resource_type: storableText(data.resource_type),
      resource_id: storableText(data.resource_id),
      outcome: data.outcome,
      request_id: storableText(data.request_id),
      ip: storableText(data.ip),
      user_agent: storableText(data.user_agent),
      detail: sanitizeDetail(data.detail) as Record<string, unknown>,
      prev_hash: head?.hash ?? GENESIS_HASH,
      recorded_at: this.clock.now(),
    };
  }
}
