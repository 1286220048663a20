import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, startNats, type NatsHandle } from '@lockwell/local-infra';
import { generateMasterKeySpec } from '@lockwell/crypto';
import { inboxPrefixOf, type BusIdentity } from '@lockwell/contracts';
import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

/** A database URL on the jest run's PostgreSQL (see infra/local/jest-global-setup.js). */
export function testDatabaseUrl(db: string): string {
  const template = process.env.LOCKWELL_TEST_PG_URL;
  if (!template)
    throw new Error('LOCKWELL_TEST_PG_URL is not set: run the suite through its jest config (globalSetup)');
  return template.replace('{db}', db);
}

/** A database name no other test file uses (the service creates it on start). */
export function uniqueDatabaseName(prefix: string): string {
  return `t_${prefix}_${randomBytes(5).toString('hex')}`;
}

/**
 * A nats-server with JetStream of this test file's own, so parallel files never share queue groups, behind the
 * same generated least-privilege bus as production (plus a read-only `observer` identity for assertions).
 * `tls` serves it over TLS with a fresh private CA; `monitor` opens its monitoring endpoint (handle.monitorUrl).
 */
export async function startTestNats(opts: { tls?: boolean; monitor?: boolean } = {}): Promise<NatsHandle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockwell-nats-'));
  const nats = await startNats({
    dir,
    port: await freePort(),
    observer: true,
    tls: opts.tls ? { hosts: ['127.0.0.1', 'localhost'] } : undefined,
    monitorPort: opts.monitor ? await freePort() : undefined,
  });
  return {
    ...nats,
    stop: async () => {
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The environment that makes a process `identity` on this bus (NATS_URL, its seed, everyone's public keys, the CA). */
export function busEnv(
  nats: NatsHandle,
  identity: BusIdentity,
): { NATS_URL: string; LOCKWELL_NATS_SEED: string; LOCKWELL_BUS_KEYS: string; LOCKWELL_NATS_TLS_CA_FILE?: string } {
  return {
    NATS_URL: nats.url,
    LOCKWELL_NATS_SEED: nats.bus.keys[identity]!.seed,
    LOCKWELL_BUS_KEYS: nats.bus.keysSpec,
    ...(nats.bus.tls ? { LOCKWELL_NATS_TLS_CA_FILE: nats.bus.tls.caFile } : {}),
  };
}

/**
 * A raw NATS connection as `identity` (a bus identity, or `observer` for read-only watching), or with no
 * credential at all (`anonymous`, which the bus refuses). Callers close it.
 */
export function connectAs(nats: NatsHandle, identity: BusIdentity | 'observer' | 'anonymous'): Promise<NatsConnection> {
  const url = nats.url.replace(/^tls:/, 'nats:');
  const tls = nats.bus.tls ? { tls: { caFile: nats.bus.tls.caFile } } : {};
  if (identity === 'anonymous') return connect({ servers: [url], reconnect: false, ...tls });
  return connect({
    servers: [url],
    reconnect: false,
    authenticator: nkeyAuthenticator(new TextEncoder().encode(nats.bus.keys[identity]!.seed)),
    inboxPrefix: identity === 'observer' ? '_INBOX.observer' : inboxPrefixOf(identity),
    ...tls,
  });
}

/** A fresh master key ring spec for one test system. */
export const testMasterKey = (): string => generateMasterKeySpec(1);

/** Polls `check` until it returns a truthy value or the time runs out (for eventually-consistent effects). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 5000,
  stepMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
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
 * Every message currently in `stream` (e.g. LOCKWELL_AUDIT) on the test bus `nats`, oldest first, optionally
 * only those whose subject starts with `subjectPrefix`. Reads by sequence number as the read-only `observer`
 * identity, so it consumes nothing and needs no consumer.
 */
export async function readStream<T = unknown>(
  nats: NatsHandle,
  stream: string,
  subjectPrefix = '',
): Promise<StreamMessage<T>[]> {
  const nc = await connectAs(nats, 'observer');
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
    outcome: 'success' | 'failed' | 'denied';
    resource_type: string;
    resource_id: string | null;
    actor: { type: string; id: string | null };
    request_id: string | null;
    tenant_id: string | null;
    detail: Record<string, unknown>;
  };
}

/** The audit records on LOCKWELL_AUDIT matching `match`, waiting up to `timeoutMs` for at least one (the relay publishes after commit). */
export async function auditRecordsWhere(
  nats: NatsHandle,
  match: (r: AuditRecord) => boolean,
  timeoutMs = 5000,
): Promise<AuditRecord[]> {
  return eventually(async () => {
    const found = (await readStream<AuditRecord>(nats, 'LOCKWELL_AUDIT')).map((m) => m.body).filter(match);
    return found.length ? found : null;
  }, timeoutMs);
}
