// The audit service under the kit's harness, and a way to put audit events on LOCKWELL_AUDIT exactly as a
// service's outbox relay would (signed with that service's bus key), so tests need no producing service.
import { auditSubject, type AuditEventData, type EventEnvelope, type ServiceName } from '@lockwell/contracts';
import type { NatsHandle } from '@lockwell/local-infra';
import { BusSigner, publishSignedEvent } from '@lockwell/service-kit';
import {
  asUser,
  connectAs,
  membership,
  startServiceUnderTest,
  type ServiceUnderTest,
  type ServiceUnderTestOptions,
} from '@lockwell/testing';
import { jetstream } from '@nats-io/jetstream';
import { randomUUID } from 'node:crypto';
import { service } from '../../src/app.module.js';

export type AuditUnderTest = ServiceUnderTest;

/** The audit service with its periodic job off (tests run a checkpoint pass with CheckpointJob.runOnce). */
export const startAudit = (opts: ServiceUnderTestOptions = {}): Promise<AuditUnderTest> =>
  startServiceUnderTest(service, { ...opts, env: { LOCKWELL_AUDIT_CHECKPOINT_INTERVAL_MS: '0', ...opts.env } });

export function auditEvent(overrides: Partial<AuditEventData> = {}): AuditEventData {
  return {
    time: new Date().toISOString(),
    tenant_id: null,
    actor: { type: 'user', id: randomUUID() },
    action: 'secret.read',
    resource_type: 'secret',
    resource_id: randomUUID(),
    outcome: 'success',
    request_id: `req-${randomUUID()}`,
    ip: '127.0.0.1',
    user_agent: 'lockwell-test',
    detail: {},
    ...overrides,
  };
}

/** Publishes audit events as `owner` (default vault) would; returns their event ids. `signer` forges another's signature. */
export async function publishAudit(
  nats: NatsHandle,
  events: AuditEventData[],
  opts: { owner?: ServiceName; signer?: ServiceName; ids?: string[] } = {},
): Promise<string[]> {
  const owner = opts.owner ?? 'vault';
  const signerName = opts.signer ?? owner;
  const nc = await connectAs(nats, owner);
  const js = jetstream(nc);
  const signer = BusSigner.fromSeed(signerName, nats.bus.keys[signerName]!.seed, 'test');
  const ids: string[] = [];
  try {
    for (const [i, data] of events.entries()) {
      const subject = auditSubject(owner, data.action);
      const envelope: EventEnvelope = {
        id: opts.ids?.[i] ?? randomUUID(),
        subject,
        occurredAt: data.time,
        tenantId: data.tenant_id,
        data,
      };
      await publishSignedEvent(js, signer, subject, JSON.stringify(envelope), randomUUID());
      ids.push(envelope.id);
    }
  } finally {
    await nc.close();
  }
  return ids;
}

/** An installation auditor (global `audit:read-all`). */
export const auditor = () => asUser(randomUUID(), { globalPermissions: ['audit:read-all'] });
/** A tenant admin: `audit:read` in `tenantId` only. */
export const tenantAdmin = (tenantId: string) =>
  asUser(randomUUID(), { memberships: [membership(tenantId, ['tenant:read', 'audit:read'], 'admin')] });
