import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/core';
import {
  auditSubject,
  AuditEventData,
  type EventEnvelope,
  type CallContext,
  type EventContract,
  type EventData,
} from '@lockwell/contracts';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '../clock.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { SERVICE_NAME } from '../tokens.js';

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string | null;
  tenantId: string | null;
  outcome?: AuditEventData['outcome'];
  detail?: Record<string, unknown>;
  /** Set for work a service does on its own (jobs, sagas): recorded as a `system` actor, not `anonymous`. */
  system?: boolean;
}

/**
 * Queues events and audit records in the caller's unit of work. Call it inside the transaction that makes
 * the change: the rows commit (or roll back) with it, and the relay publishes them afterwards.
 */
@Injectable()
export class Outbox {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /** Persists a domain event (not flushed: the caller's flush/commit writes it). */
  emit<E extends EventContract>(
    em: EntityManager,
    event: E,
    data: EventData<E>,
    tenantId: string | null = null,
  ): EventEnvelope<EventData<E>> {
    return this.enqueue(em, event.subject, event.data.parse(data) as EventData<E>, tenantId);
  }

  /** Persists one audit record for `ctx`'s actor (AUD-2). `detail` must hold metadata only (AUD-3). */
  audit(em: EntityManager, ctx: CallContext, entry: AuditEntry): void {
    const p = ctx.principal;
    const data = AuditEventData.parse({
      time: this.clock.now().toISOString(),
      tenant_id: entry.tenantId,
      actor: p
        ? { type: p.kind, id: p.kind === 'api_token' ? p.tokenId : p.userId }
        : entry.system
          ? { type: 'system', id: this.service }
          : { type: 'anonymous', id: null },
      action: entry.action,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId,
      outcome: entry.outcome ?? 'success',
      request_id: ctx.requestId,
      ip: ctx.ip,
      user_agent: ctx.userAgent,
      detail: p?.kind === 'api_token' ? { on_behalf_of: p.userId, ...entry.detail } : (entry.detail ?? {}),
    });
    this.enqueue(em, auditSubject(this.service, entry.action), data, entry.tenantId);
  }

  private enqueue<D>(em: EntityManager, subject: string, data: D, tenantId: string | null): EventEnvelope<D> {
    const now = this.clock.now();
    const envelope: EventEnvelope<D> = { id: randomUUID(), subject, occurredAt: now.toISOString(), tenantId, data };
    em.persist(
      em.create(OutboxMessage, {
        id: envelope.id,
        subject,
        envelope: envelope as unknown as Record<string, unknown>,
        createdAt: now,
      }),
    );
    return envelope;
  }
}
