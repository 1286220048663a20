import { Inject, Injectable } from '@nestjs/common';
import { buildAad, hkdf, open, seal, type MasterKeyRing } from '@lockwell/crypto';
import { MASTER_KEY_RING } from '@lockwell/service-kit';

export interface PendingChecks {
  code_verifier: string;
  nonce: string;
}

/**
 * The PKCE verifier and nonce of a pending authorisation are secrets for up to ten minutes: they are sealed
 * (AES-256-GCM) under a key derived from the master key with HKDF, bound to the state's hash. They are too
 * short-lived to need re-wrapping at a master-key rotation: a flow started under a key that has since left the
 * ring fails and is started again.
 */
@Injectable()
export class PendingChecksCipher {
  constructor(@Inject(MASTER_KEY_RING) private readonly ring: MasterKeyRing) {}

  seal(stateHash: string, checks: PendingChecks): Buffer {
    const id = this.ring.activeKeyId;
    return seal(this.keyFor(id), id, JSON.stringify(checks), aad(stateHash));
  }

  open(stateHash: string, sealed: Buffer): PendingChecks {
    return JSON.parse(open((id) => this.keyFor(id), sealed, aad(stateHash)).toString('utf8')) as PendingChecks;
  }

  private keyFor(id: number): Buffer {
    return hkdf(this.ring.key(id), 'lockwell-connectors', 'pending-authorization-checks', 32);
  }
}

const aad = (stateHash: string) => buildAad({ purpose: 'connectors-pending-authorization', state_hash: stateHash });
