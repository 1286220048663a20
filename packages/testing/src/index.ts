import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, startNats, type NatsHandle } from '@lockwell/local-infra';
import { generateMasterKeySpec } from '@lockwell/crypto';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

/** A database URL on the jest run's PostgreSQL (see infra/local/jest-global-setup.js). */
export function testDatabaseUrl(db: string): string {
  const template = process.env.LOCKWELL_TEST_PG_URL;
  if (!template) throw new Error('LOCKWELL_TEST_PG_URL is not set: run the suite through its jest config (globalSetup)');
  return template.replace('{db}', db);
}

/** A database name no other test file uses (the service creates it on start). */
export function uniqueDatabaseName(prefix: string): string {
  return `t_${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A nats-server with JetStream of this test file's own, so parallel files never share queue groups. */
export async function startTestNats(): Promise<NatsHandle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-nats-'));
  const nats = await startNats({ dir, port: await freePort() });
  return {
    ...nats,
    stop: async () => {
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh master key ring spec for one test system. */
export const testMasterKey = (): string => generateMasterKeySpec(1);

/** Polls `check` until it returns a truthy value or the time runs out (for eventually-consistent effects). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 5000, stepMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** A clock tests move by hand (lifecycle, expiry); starts at `start` and only moves when told to. */
export class FakeClock {
  private current: Date;
  constructor(start: Date | string = new Date()) {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to);
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}

/** One message of a JetStream stream, its body parsed as JSON. */
export interface StreamMessage<T = unknown> {
  subject: string;
  seq: number;
  body: T;
}

/**
 * Every message currently in `stream` (e.g. LOCKWELL_AUDIT) on the nats-server at `natsUrl`, oldest first,
 * optionally only those whose subject starts with `subjectPrefix`. Reads by sequence number, so it consumes
 * nothing and needs no consumer.
 */
export async function readStream<T = unknown>(natsUrl: string, stream: string, subjectPrefix = ''): Promise<StreamMessage<T>[]> {
  const nc = await connect({ servers: [natsUrl] });
  try {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(stream);
    const out: StreamMessage<T>[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (!msg || !msg.subject.startsWith(subjectPrefix)) continue;
      out.push({ subject: msg.subject, seq, body: JSON.parse(Buffer.from(msg.data).toString('utf8')) as T });
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** An audit record as it travels on LOCKWELL_AUDIT: the event envelope around AuditEventData. */
export interface AuditRecord {
  id: string;
  subject: string;
  tenantId: string | null;
  data: {
    action: string;
    outcome: 'success' | 'failure' | 'denied';
    resource_type: string;
    resource_id: string | null;
    actor: { type: string; id: string | null };
    request_id: string | null;
    tenant_id: string | null;
    detail: Record<string, unknown>;
  };
}

/** The audit records on LOCKWELL_AUDIT matching `match`, waiting up to `timeoutMs` for at least one (the relay publishes after commit). */
export async function auditRecordsWhere(natsUrl: string, match: (r: AuditRecord) => boolean, timeoutMs = 5000): Promise<AuditRecord[]> {
  return eventually(async () => {
    const found = (await readStream<AuditRecord>(natsUrl, 'LOCKWELL_AUDIT')).map((m) => m.body).filter(match);
    return found.length ? found : null;
  }, timeoutMs);
}
