import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditEntry, Outbox } from '@lockwell/service-kit';
import type { CallContext, EventContract, EventData, EventEnvelope } from '@lockwell/contracts';

// Stand-ins for the kit's ports in unit tests (src/**/*.spec.ts): no PostgreSQL, no NATS.

/** What a unit under test queued in the outbox: events (parsed by their contract) and audit records. */
export class RecordingOutbox {
  readonly events: EventEnvelope[] = [];
  readonly audits: (AuditEntry & { ctx: CallContext })[] = [];

  emit<E extends EventContract>(
    _em: unknown,
    event: E,
    data: EventData<E>,
    tenantId: string | null = null,
  ): EventEnvelope<EventData<E>> {
    const envelope = {
      id: randomUUID(),
      subject: event.subject,
      occurredAt: new Date(0).toISOString(),
      tenantId,
      data: event.data.parse(data) as EventData<E>,
    };
    this.events.push(envelope);
    return envelope;
  }

  audit(_em: unknown, ctx: CallContext, entry: AuditEntry): void {
    this.audits.push({ ...entry, ctx });
  }

  /** The data of every queued event on `event`'s subject. */
  eventsOf<E extends EventContract>(event: E): EventData<E>[] {
    return this.events.filter((e) => e.subject === event.subject).map((e) => e.data as EventData<E>);
  }

  /** The actions of the queued audit records, in order. */
  auditActions(): string[] {
    return this.audits.map((a) => a.action);
  }
}

/** A RecordingOutbox typed as the kit's Outbox, for a service's constructor. */
export const recordingOutbox = (): RecordingOutbox & Outbox => new RecordingOutbox() as RecordingOutbox & Outbox;

/**
 * The unit of work a service sees in a unit test: transactions run their callback at once, flushes are counted,
 * and anything else (a query) throws, because queries belong in repositories, which unit tests fake.
 */
export function fakeUnitOfWork(): EntityManager & { readonly flushes: number; readonly transactions: number } {
  const state = { flushes: 0, transactions: 0 };
  const em: EntityManager = new Proxy({} as EntityManager, {
    get(_target, prop) {
      if (prop === 'flushes' || prop === 'transactions') return state[prop];
      if (prop === 'transactional') {
        return async <T>(work: (tx: EntityManager) => Promise<T>) => {
          state.transactions++;
          return work(em);
        };
      }
      if (prop === 'flush') return async () => void state.flushes++;
      if (prop === 'fork') return () => em;
      if (prop === 'then') return undefined;
      throw new Error(
        `a unit test's EntityManager has no ${String(prop)}(): a service must reach the database through its repositories`,
      );
    },
  });
  return em as EntityManager & { readonly flushes: number; readonly transactions: number };
}
