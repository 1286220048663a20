import type { AuditVerifyResult } from '@lockwell/contracts';
import { toAuditRecord, type AuditRecordRow } from '../record/audit-record.row.js';
import { GENESIS_HASH, recordHash } from './canonical.js';
import type { CheckpointRow } from './checkpoint.repository.js';

export type ChainProblem = NonNullable<AuditVerifyResult['problem']>;
export interface ChainSource {
  /** Records of the chain after `afterSeq` in chain order, at most `limit`; fewer means the end. */
  records(afterSeq: number, limit: number): Promise<AuditRecordRow[]>;
  /** The chain's checkpoints, oldest first. */
  checkpoints: CheckpointRow[];
  /** Whether a checkpoint's signature is the audit service's. */
  isAuthentic(c: CheckpointRow): boolean;
}

/** Which segment to walk: from the chain's start, or right after the signed checkpoint `anchor`. */
export interface ChainSegment {
  anchor?: CheckpointRow;
  /** The walk stops at the first checkpoint reached once this many records are checked (or at the chain's end). */
  maxRecords: number;
}

const BATCH = 1000;

/**
 * Walks one chain in order, holding one batch of records at a time, and reports the first fault (docs/audit.md
 * "Verification"):
 * - `hash_mismatch`: a record's stored hash is not the hash of its canonical form (it was edited);
 * - `link_broken`: its previous hash is not its predecessor's hash (the first remaining record of a pruned chain
 *   must link to a signed checkpoint at the position before it);
 * - `sequence_gap`: a position is missing (a record was deleted);
 * - `bad_checkpoint`: a checkpoint's signature is wrong, or the record at its position has another hash;
 * - `truncated`: a checkpoint names a position past the newest record (the newest records were removed);
 *   `first_broken` is then the last record left.
 * A segment that starts after a checkpoint trusts that checkpoint's signed head hash for everything before it; it
 * ends at a checkpoint, so the next segment has one to start from.
 */
export async function verifyChain(source: ChainSource, segment: ChainSegment): Promise<AuditVerifyResult> {
  const checkpoints = new Map(source.checkpoints.map((c) => [c.seq, c]));
  const broken = (
    problem: ChainProblem,
    record: AuditRecordRow | null,
    checked: number,
    checkpointsChecked: number,
  ): AuditVerifyResult => ({
    records_checked: checked,
    intact: false,
    first_broken: record ? toAuditRecord(record) : null,
    problem,
    checkpoints_checked: checkpointsChecked,
    complete: true,
    next_after_sequence: null,
  });
  const { anchor } = segment;
  if (anchor && !source.isAuthentic(anchor)) return broken('bad_checkpoint', null, 0, 0);
  let checked = 0;
  let usedCheckpoints = 0;
  let previous: { seq: number; hash: string } | null = anchor ? { seq: anchor.seq, hash: anchor.head_hash } : null;
  let last: AuditRecordRow | null = null;
  for (;;) {
    const batch = await source.records(previous?.seq ?? 0, BATCH);
    for (const r of batch) {
      checked++;
      if (recordHash(r) !== r.hash) return broken('hash_mismatch', r, checked, usedCheckpoints);
      if (!previous) {
        // The chain's start: genesis, or (after retention pruned a prefix) a signed checkpoint just before it.
        const anchor = r.seq === 1 ? null : checkpoints.get(r.seq - 1);
        if (anchor && !source.isAuthentic(anchor)) return broken('bad_checkpoint', r, checked, usedCheckpoints);
        const expected = r.seq === 1 ? GENESIS_HASH : anchor?.head_hash;
        if (r.prev_hash !== expected) return broken('link_broken', r, checked, usedCheckpoints);
      } else {
        if (r.seq !== previous.seq + 1) return broken('sequence_gap', r, checked, usedCheckpoints);
        if (r.prev_hash !== previous.hash) return broken('link_broken', r, checked, usedCheckpoints);
      }
      const cp = checkpoints.get(r.seq);
      if (cp) {
        usedCheckpoints++;
        if (!source.isAuthentic(cp) || cp.head_hash !== r.hash)
          return broken('bad_checkpoint', r, checked, usedCheckpoints);
      }
      previous = { seq: r.seq, hash: r.hash };
      last = r;
      // Enough for one call: stop at a checkpoint, which the next segment starts from.
      if (cp && checked >= segment.maxRecords)
        return { ...intact(checked, usedCheckpoints), complete: false, next_after_sequence: r.seq };
    }
    if (batch.length < BATCH) break;
  }
  // Checkpoints of a pruned prefix have no record left to compare with, but their signatures still count.
  if (source.checkpoints.some((c) => !source.isAuthentic(c)))
    return broken('bad_checkpoint', null, checked, usedCheckpoints);
  const newest = source.checkpoints.at(-1);
  if (newest && newest.seq > (previous?.seq ?? 0)) return broken('truncated', last, checked, usedCheckpoints);
  return intact(checked, usedCheckpoints);
}

const intact = (checked: number, checkpointsChecked: number): AuditVerifyResult => ({
  records_checked: checked,
  intact: true,
  first_broken: null,
  problem: null,
  checkpoints_checked: checkpointsChecked,
  complete: true,
  next_after_sequence: null,
});
