import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CallContext } from '@lockwell/contracts';
import { open, readCiphertextHeader, seal, type MasterKeyRing } from '@lockwell/crypto';
import { MASTER_KEY_RING, Outbox } from '@lockwell/service-kit';
import { SigningKeyRepository } from './signing-key.repository.js';
import { signingKeyAad } from './signing-key.service.js';

export interface SigningKeyRewrapResult {
  active_master_key_id: number;
  rewrapped: number;
  remaining: number;
}

/**
 * Identity's part of master-key rotation (KEY-1, KEY-2): re-seals every signing key (active and retired) that
 * is not yet under the active master key, so the old master key can leave the ring without identity failing
 * at its next start. Rows are claimed with FOR UPDATE SKIP LOCKED: resumable, safe on several replicas, and
 * a second run finds nothing to do. The key material itself does not change (tokens stay valid).
 */
@Injectable()
export class SigningKeyRewrap {
  constructor(
    private readonly orm: MikroORM,
    @Inject(MASTER_KEY_RING) private readonly ring: MasterKeyRing,
    private readonly outbox: Outbox,
    private readonly keys: SigningKeyRepository,
  ) {}

  async rewrap(ctx: CallContext): Promise<SigningKeyRewrapResult> {
    const active = this.ring.activeKeyId;
    const rewrapped = await this.fork().transactional(async (em) => {
      const rows = await this.keys.claimSealed(em);
      let done = 0;
      for (const row of rows) {
        if (readCiphertextHeader(row.private_key_sealed).keyId === active) continue;
        const der = open((id) => this.ring.key(id), row.private_key_sealed, signingKeyAad(row.kid));
        try {
          await this.keys.reseal(em, row.kid, seal(this.ring.key(active), active, der, signingKeyAad(row.kid)));
        } finally {
          der.fill(0);
        }
        done++;
      }
      return done;
    });
    const all = await this.keys.allSealed(this.fork());
    const result = {
      active_master_key_id: active,
      rewrapped,
      remaining: all.filter((r) => readCiphertextHeader(r.private_key_sealed).keyId !== active).length,
    };
    await this.fork().transactional(async (em) => {
      // The rotation itself is the vault's record (one per rotation, AUD-2); this one records identity's share of the work.
      this.outbox.audit(em, ctx, {
        action: 'master-key.rewrap',
        resourceType: 'signing_keys',
        resourceId: String(active),
        tenantId: null,
        detail: { ...result },
      });
    });
    return result;
  }

  /** Signing keys per master key (read from each sealed blob's header, ENC-6) and how many are not under the active one. */
  async status(): Promise<{
    active_master_key_id: number;
    signing_keys: { master_key_id: number; count: number }[];
    remaining: number;
  }> {
    const active = this.ring.activeKeyId;
    const counts = new Map<number, number>();
    for (const row of await this.keys.allSealed(this.fork())) {
      const id = readCiphertextHeader(row.private_key_sealed).keyId;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const signingKeys = [...counts]
      .sort(([a], [b]) => a - b)
      .map(([master_key_id, count]) => ({ master_key_id, count }));
    return {
      active_master_key_id: active,
      signing_keys: signingKeys,
      remaining: signingKeys.filter((k) => k.master_key_id !== active).reduce((n, k) => n + k.count, 0),
    };
  }

  private fork(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}
