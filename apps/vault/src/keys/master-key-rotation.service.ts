import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CallContext, VaultMasterKeyStatusResult } from '@lockwell/contracts';
import { rewrapDataKey, type MasterKeyRing } from '@lockwell/crypto';
import { MASTER_KEY_RING, Outbox } from '@lockwell/service-kit';
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

interface KeyRow {
  id: string;
  scope_type: 'tenant' | 'user' | 'service';
  scope_id: string;
  version: number;
  wrapped_key: Buffer;
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
  ) {}

  async rewrap(ctx: CallContext, opts: RewrapOptions = {}): Promise<RewrapResult> {
    const batchSize = opts.batchSize ?? 500;
    const active = this.ring.activeKeyId;
    let rewrapped = 0;
    for (let batch = 0; opts.maxBatches === undefined || batch < opts.maxBatches; batch++) {
      const done = await this.fork().transactional(async (em) => {
        const rows = await em.execute<KeyRow[]>(
          `select id, scope_type, scope_id, version, wrapped_key from data_keys where master_key_id <> ? order by id limit ? for update skip locked`,
          [active, batchSize],
        );
        for (const row of rows) {
          const wrapped = rewrapDataKey(this.ring, row.wrapped_key, dataKeyAad({ type: row.scope_type, id: row.scope_id }, row.version));
          await em.execute(`update data_keys set wrapped_key = ?, master_key_id = ? where id = ?`, [wrapped, active, row.id]);
        }
        return rows.length;
      });
      rewrapped += done;
      if (done < batchSize) break;
    }
    const [{ count }] = await this.fork().execute<{ count: string }[]>(`select count(*) as count from data_keys where master_key_id <> ?`, [active]);
    const result = { active_master_key_id: active, rewrapped, remaining: Number(count) };
    await this.fork().transactional(async (em) => {
      this.outbox.audit(em, ctx, { action: 'master-key.rotate', resourceType: 'master_key', resourceId: String(active), tenantId: null, detail: { ...result } });
    });
    return result;
  }

  /** The ring and how many data keys each master key wraps (read-only). */
  async status(): Promise<VaultMasterKeyStatusResult> {
    const active = this.ring.activeKeyId;
    const rows = await this.fork().execute<{ master_key_id: number; count: string }[]>(`select master_key_id, count(*) as count from data_keys group by master_key_id order by master_key_id`);
    const dataKeys = rows.map((r) => ({ master_key_id: Number(r.master_key_id), count: Number(r.count) }));
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
