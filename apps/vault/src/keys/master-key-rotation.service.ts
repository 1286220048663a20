import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { MasterKeyRotated, type CallContext, type VaultMasterKeyStatusResult } from '@lockwell/contracts';
import { rewrapDataKey, type MasterKeyRing } from '@lockwell/crypto';
import { MASTER_KEY_RING, Outbox } from '@lockwell/service-kit';
import { DataKeyRepository } from './data-key.repository.js';
import { dataKeyAad } from './data-key.service.js';

export interface RewrapOptions {
  batchSize?: number;
  /** Stop after this many batches (an interrupted run; calling again resumes). */
  maxBatches?: number;
}

export interface RewrapResult {
  active_master_key_id: number;
  rewrapped: number;
  remaining: number;
}

/**
 * Master-key rotation (KEY-1, KEY-2): the operator adds a key to LOCKWELL_MASTER_KEY (the highest id becomes
 * active) and restarts; this re-wraps every data key still under an older id. Values are never re-encrypted
 * (their data keys do not change). Each batch is its own transaction claimed with FOR UPDATE SKIP LOCKED, so
 * the run can stop anywhere, be resumed, run on several replicas at once, and a second run finds nothing to do.
 */
@Injectable()
export class MasterKeyRotation {
  constructor(
    private readonly orm: MikroORM,
    @Inject(MASTER_KEY_RING) private readonly ring: MasterKeyRing,
    private readonly outbox: Outbox,
    private readonly keys: DataKeyRepository,
  ) {}

  async rewrap(ctx: CallContext, opts: RewrapOptions = {}): Promise<RewrapResult> {
    const batchSize = opts.batchSize ?? 500;
    const active = this.ring.activeKeyId;
    let rewrapped = 0;
    for (let batch = 0; opts.maxBatches === undefined || batch < opts.maxBatches; batch++) {
      const done = await this.fork().transactional(async (em) => {
        const rows = await this.keys.claimWrappedByOlder(em, active, batchSize);
        for (const row of rows) {
          const scope = { type: row.scope_type, id: row.scope_id };
          await this.keys.rewrap(
            em,
            scope,
            row.id,
            rewrapDataKey(this.ring, row.wrapped_key, dataKeyAad(scope, row.version)),
            active,
          );
        }
        return rows.length;
      });
      rewrapped += done;
      if (done < batchSize) break;
    }
    const result = {
      active_master_key_id: active,
      rewrapped,
      remaining: await this.keys.countWrappedByOlder(this.fork(), active),
    };
    await this.fork().transactional(async (em) => {
      this.outbox.audit(em, ctx, {
        action: 'master-key.rotate',
        resourceType: 'master_key',
        resourceId: String(active),
        tenantId: null,
        detail: { ...result },
      });
      this.outbox.emit(em, MasterKeyRotated, { ...result, actor_id: ctx.principal?.userId ?? null });
    });
    return result;
  }

  /** The ring and how many data keys each master key wraps (read-only). */
  async status(): Promise<VaultMasterKeyStatusResult> {
    const active = this.ring.activeKeyId;
    const dataKeys = await this.keys.countByMasterKey(this.fork());
    return {
      active_master_key_id: active,
      key_ids: this.ring.keyIds,
      data_keys: dataKeys,
      remaining: dataKeys.filter((d) => d.master_key_id !== active).reduce((n, d) => n + d.count, 0),
    };
  }

  private fork(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}
