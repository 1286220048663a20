import { z } from 'zod';
import { PageQuery, pageOf, Timestamp, Uuid } from '../common.js';
import { defineRpc } from '../rpc.js';

export const AuditActorType = z.enum(['user', 'api_token', 'system', 'anonymous']);
export const AuditOutcome = z.enum(['success', 'failed', 'denied']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

/**
 * An audit event as services emit it (through their outbox, on `audit.<service>.<action>`). `detail` holds
 * metadata only: never a secret value, password, raw token or a hash of one (AUD-3).
 */
export const AuditEventData = z.object({
  time: Timestamp,
  tenant_id: Uuid.nullable(),
  actor: z.object({ type: AuditActorType, id: z.string().nullable() }),
  action: z.string().max(100),
  resource_type: z.string().max(50),
  resource_id: z.string().max(100).nullable(),
  // Events written before the outcome was renamed `failed` (still in the stream's backlog) said `failure`.
  outcome: z.preprocess((v) => (v === 'failure' ? 'failed' : v), AuditOutcome),
  request_id: z.string().max(128).nullable(),
  ip: z.string().max(64).nullable(),
  user_agent: z.string().max(512).nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEventData = z.infer<typeof AuditEventData>;

/** All audit events share one shape; the subject carries the emitting service and action. */
export const auditSubject = (service: string, action: string) => `audit.${service}.${action}`;

/** One stored audit record (docs/api.md "Notifications and audit"): the event as emitted, under its event id. */
export const AuditRecord = z.object({
  id: Uuid,
  time: Timestamp,
  tenant_id: Uuid.nullable(),
  actor: z.object({ type: AuditActorType, id: z.string().nullable() }),
  action: z.string(),
  resource_type: z.string(),
  resource_id: z.string().nullable(),
  outcome: AuditOutcome,
  request_id: z.string().nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/** A record as the export writes it: where it sits in its chain, so a SIEM can re-check the hashes (docs/audit.md). */
export const AuditExportedRecord = AuditRecord.extend({
  chain: z.string(),
  sequence: z.number().int(),
  previous_hash: z.string(),
  hash: z.string(),
});
export type AuditExportedRecord = z.infer<typeof AuditExportedRecord>;

const AuditFilters = z.object({
  tenant_id: Uuid.optional(),
  actor_id: z.string().min(1).max(100).optional(),
  action: z.string().min(1).max(100).optional(),
  resource_type: z.string().min(1).max(50).optional(),
  resource_id: z.string().min(1).max(100).optional(),
  outcome: AuditOutcome.optional(),
  from: Timestamp.optional(),
  to: Timestamp.optional(),
});

/** `GET /audit`: the filters of docs/api.md "Notifications and audit", newest first, cursor paging. */
export const AuditListQuery = PageQuery.extend(AuditFilters.shape).strict();
export type AuditListQuery = z.output<typeof AuditListQuery>;

/** `GET /audit/export`: the same filters (a time range above all), written as JSON lines. */
export const AuditExportQuery = AuditFilters.strict();
export type AuditExportQuery = z.output<typeof AuditExportQuery>;

/** `GET /audit/verify?tenant_id=`: a tenant's chain, or the global chain (installation events) without it. */
/** Most records one verification call walks (about 10 s on the development machine; docs/audit.md "Verification"). */
export const AUDIT_VERIFY_MAX_RECORDS = 100_000;

/**
 * Which chain to walk, and (extension) which segment of it: a long chain is verified in resumable segments, each
 * starting right after a signed checkpoint (`after_sequence`, from the previous answer's `next_after_sequence`)
 * and walking about `max_records` records.
 */
export const AuditVerifyQuery = z
  .object({
    tenant_id: Uuid.optional(),
    after_sequence: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    max_records: z.coerce.number().int().min(1).max(AUDIT_VERIFY_MAX_RECORDS).optional(),
  })
  .strict();
export type AuditVerifyQuery = z.output<typeof AuditVerifyQuery>;

/**
 * What a walk of one chain found. `first_broken` is the first record whose hash, link or position is wrong (or,
 * when the newest records were removed, the last record left before the gap); `problem` names the fault.
 */
export const AuditVerifyResult = z.object({
  records_checked: z.number().int(),
  intact: z.boolean(),
  first_broken: AuditRecord.nullable(),
  problem: z.enum(['hash_mismatch', 'link_broken', 'sequence_gap', 'truncated', 'bad_checkpoint']).nullable(),
  checkpoints_checked: z.number().int(),
  /** Extension: false when the walk stopped at `max_records`; the chain after `next_after_sequence` is unchecked. */
  complete: z.boolean(),
  /** Extension: where the next segment starts (a signed checkpoint's position), or null when the walk is complete. */
  next_after_sequence: z.number().int().nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;

export const AuditRecordList = defineRpc('audit.record.list', AuditListQuery, pageOf(AuditRecord));
/** One page of an export, oldest first (the gateway streams pages one after the other, never the whole range). */
export const AuditRecordExport = defineRpc(
  'audit.record.export',
  AuditExportQuery.extend({ cursor: z.string().min(1).max(512).optional(), limit: z.number().int().min(1).max(1000) }),
  pageOf(AuditExportedRecord),
);
export const AuditChainVerify = defineRpc('audit.chain.verify', AuditVerifyQuery, AuditVerifyResult);
