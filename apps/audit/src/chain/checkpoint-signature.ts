import type { BusCredentials } from '@lockwell/service-kit';
import type { CheckpointRow } from './checkpoint.repository.js';

/** The bytes a checkpoint's signature covers. */
const material = (c: Pick<CheckpointRow, 'chain' | 'seq' | 'record_count' | 'head_hash' | 'created_at'>) =>
  `lockwell-audit-checkpoint-v1\n${c.chain}\n${c.seq}\n${c.record_count}\n${c.head_hash}\n${c.created_at.toISOString()}`;

/**
 * Checkpoints are signed with the audit service's bus key (its nkey, Ed25519): no extra secret to manage, and
 * anyone holding LOCKWELL_BUS_KEYS can check them. A row forged or edited in the database fails verification.
 */
export function signCheckpoint(
  bus: BusCredentials,
  c: Omit<CheckpointRow, 'signer' | 'signature' | 'id'>,
): { signer: string; signature: string } {
  return { signer: bus.signer.identity, signature: bus.signer.sign(material(c)) };
}

export function isAuthenticCheckpoint(bus: BusCredentials, c: CheckpointRow): boolean {
  return c.signer === 'audit' && c.record_count === c.seq && bus.keyring.verify(c.signer, material(c), c.signature);
}
