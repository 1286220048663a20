import { masterKeyCheckValue, type MasterKeyRing } from '@lockwell/crypto';
import type { Manifest } from './manifest.js';

/** Check values of every key in the ring (what a backup records instead of the key). */
export function keyCheckValues(ring: MasterKeyRing): Record<string, string> {
  return Object.fromEntries(ring.keyIds.map((id) => [String(id), masterKeyCheckValue(ring, id)]));
}

/**
 * Why `ring` cannot serve this backup, or nothing when it can: every key id the backup's data depends on must
 * be in the ring with the same check value, and a key id the ring shares with the backup must be the same key.
 * Newer keys the backup never knew are fine (a rotation after the backup).
 */
export function keyMismatches(recorded: Manifest['master_key'], ring: MasterKeyRing): string[] {
  const problems: string[] = [];
  const have = keyCheckValues(ring);
  for (const id of recorded.in_use) {
    if (!have[String(id)]) problems.push(`key id ${id} wraps data in the backup but is not in the ring`);
  }
  for (const [id, expected] of Object.entries(recorded.check_values)) {
    if (have[id] && have[id] !== expected)
      problems.push(`key id ${id} has check value ${have[id]}, the backup was taken with ${expected}`);
  }
  return problems;
}
