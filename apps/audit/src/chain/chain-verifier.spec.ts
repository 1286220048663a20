import { randomUUID } from 'node:crypto';
import type { AuditRecordRow } from '../record/audit-record.row.js';
import { canonicalJson, GENESIS_HASH, recordHash } from './canonical.js';
import { verifyChain } from './chain-verifier.js';
import type { CheckpointRow } from './checkpoint.repository.js';

function chain(n: number, name = 'tenant-a'): AuditRecordRow[] {
  const rows: AuditRecordRow[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const base = {
      id: randomUUID(),
      chain: name,
      seq,
      time: new Date(1_700_000_000_000 + seq),
      tenant_id: null,
      service: 'vault',
      actor_type: 'user' as const,
      actor_id: 'u1',
      action: 'secret.read',
      resource_type: 'secret',
      resource_id: `s${seq}`,
      outcome: 'success' as const,
      request_id: `r${seq}`,
      ip: null,
      user_agent: null,
      detail: { seq },
      prev_hash: rows.at(-1)?.hash ?? GENESIS_HASH,
      recorded_at: new Date(),
    };
    rows.push({ ...base, hash: recordHash(base) });
  }
  return rows;
}
const checkpoint = (r: AuditRecordRow, signature = 'ok'): CheckpointRow => ({
  id: randomUUID(),
  chain: r.chain,
  seq: r.seq,
  head_hash: r.hash,
  record_count: r.seq,
  created_at: new Date(),
  signer: 'audit',
  signature,
});
const verify = (
  rows: AuditRecordRow[],
  checkpoints: CheckpointRow[] = [],
  segment: Parameters<typeof verifyChain>[1] = { maxRecords: Number.MAX_SAFE_INTEGER },
) =>
  verifyChain(
    {
      records: async (after, limit) => rows.filter((r) => r.seq > after).slice(0, limit),
      checkpoints: checkpoints.filter((c) => c.seq >= (segment.anchor?.seq ?? 0)),
      isAuthentic: (c) => c.signature === 'ok',
    },
    segment,
  );

describe('verifyChain', () => {
  it('accepts an untouched chain and an empty one', async () => {
    const rows = chain(5);
    expect(await verify(rows, [checkpoint(rows[4]!)])).toEqual({
      records_checked: 5,
      intact: true,
      first_broken: null,
      problem: null,
      checkpoints_checked: 1,
      complete: true,
      next_after_sequence: null,
    });
    expect(await verify([])).toMatchObject({ intact: true, records_checked: 0 });
  });

  describe('in segments (a long chain, one call each)', () => {
    // 2,500 records with a checkpoint every 400 (the walk reads records in batches of 1,000).
    const rows = chain(2500);
    const checkpoints = rows.filter((r) => r.seq % 400 === 0).map((r) => checkpoint(r));
    const at = (seq: number) => checkpoints.find((c) => c.seq === seq)!;

    it('stops at the first checkpoint past max_records, and the segments together walk the whole chain once', async () => {
      const seen: number[] = [];
      let anchor: CheckpointRow | undefined;
      for (;;) {
        const result = await verify(rows, checkpoints, { anchor, maxRecords: 700 });
        expect(result.intact).toBe(true);
        seen.push(result.records_checked);
        if (result.complete) break;
        expect(result.next_after_sequence).toBe((anchor?.seq ?? 0) + 800);
        anchor = at(result.next_after_sequence!);
      }
      expect(seen).toEqual([800, 800, 800, 100]);
    });

    it('finds a fault inside a later segment, and a link to the anchor that does not hold', async () => {
      const edited = [...rows];
      edited[1700] = { ...edited[1700]!, outcome: 'denied' };
      expect(await verify(edited, checkpoints, { anchor: at(1600), maxRecords: 700 })).toMatchObject({
        intact: false,
        problem: 'hash_mismatch',
        first_broken: { id: rows[1700]!.id },
      });
      const forgedAnchor = { ...at(1600), head_hash: rows[0]!.hash };
      expect(await verify(rows, checkpoints, { anchor: forgedAnchor, maxRecords: 700 })).toMatchObject({
        intact: false,
        problem: 'link_broken',
        first_broken: { id: rows[1600]!.id },
      });
    });

    it('refuses to start from a checkpoint the audit service did not sign', async () => {
      expect(await verify(rows, checkpoints, { anchor: at(800), maxRecords: 700 })).toMatchObject({ intact: true });
      const unsigned = { ...at(800), signature: 'forged' };
      expect(await verify(rows, checkpoints, { anchor: unsigned, maxRecords: 700 })).toMatchObject({
        intact: false,
        problem: 'bad_checkpoint',
        records_checked: 0,
      });
    });

    it('still sees a truncation in the last segment', async () => {
      const cut = rows.slice(0, 2100); // checkpoint 2400 names records that are gone
      const result = await verify(cut, checkpoints, { anchor: at(1600), maxRecords: 700 });
      expect(result).toMatchObject({ intact: false, problem: 'truncated', first_broken: { id: rows[2099]!.id } });
    });
  });

  it.each([
    ['an edited field', (rows: AuditRecordRow[]) => (rows[2] = { ...rows[2]!, outcome: 'denied' }), 'hash_mismatch', 2],
    [
      'an edited detail',
      (rows: AuditRecordRow[]) => (rows[1] = { ...rows[1]!, detail: { seq: 99 } }),
      'hash_mismatch',
      1,
    ],
    ['a deleted record', (rows: AuditRecordRow[]) => rows.splice(2, 1), 'sequence_gap', 2],
    ['two records swapped', (rows: AuditRecordRow[]) => ([rows[1], rows[2]] = [rows[2]!, rows[1]!]), 'sequence_gap', 1],
  ])('reports %s at the first broken record', async (_label, edit, problem, index) => {
    const rows = chain(5);
    edit(rows);
    const result = await verify(rows);
    expect(result).toMatchObject({ intact: false, problem, first_broken: { id: rows[index]!.id } });
  });

  it('reports a record rewritten with a recomputed hash where its successor no longer links', async () => {
    const rows = chain(4);
    const forged = { ...rows[1]!, action: 'secret.list' };
    rows[1] = { ...forged, hash: recordHash(forged) };
    expect(await verify(rows)).toMatchObject({
      intact: false,
      problem: 'link_broken',
      first_broken: { id: rows[2]!.id },
    });
  });

  it('needs a checkpoint to tell a removed tail or prefix from retention', async () => {
    const rows = chain(6);
    const cps = [checkpoint(rows[2]!), checkpoint(rows[5]!)];
    expect(await verify(rows.slice(0, 4), cps)).toMatchObject({
      intact: false,
      problem: 'truncated',
      first_broken: { id: rows[3]!.id },
    });
    expect(await verify(rows.slice(3), cps)).toMatchObject({ intact: true, records_checked: 3 });
    expect(await verify(rows.slice(2), cps)).toMatchObject({ intact: false, problem: 'link_broken' });
    expect(await verify(rows.slice(3), [{ ...cps[0]!, signature: 'forged' }, cps[1]!])).toMatchObject({
      intact: false,
      problem: 'bad_checkpoint',
    });
    expect(await verify(rows, [{ ...cps[1]!, head_hash: 'f'.repeat(64) }])).toMatchObject({
      intact: false,
      problem: 'bad_checkpoint',
      first_broken: { id: rows[5]!.id },
    });
  });

  it('walks a chain longer than one batch', async () => {
    const rows = chain(2500);
    expect(await verify(rows, [checkpoint(rows[2499]!)])).toMatchObject({
      intact: true,
      records_checked: 2500,
      checkpoints_checked: 1,
    });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined, so equal values hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: 'x' }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":"x","z":null}]},"b":1}',
    );
    expect(canonicalJson({ s: 'line\nbreak\u0000' })).toBe('{"s":"line\\nbreak\\u0000"}');
  });
});
