import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  SecretBecameInactive,
  SecretDeleted,
  SecretExpiring,
  systemContext,
  type EventContract,
} from '@lockwell/contracts';
import { CLOCK, Outbox, type Clock } from '@lockwell/service-kit';
import { secretEvent } from '../events/secret-events.js';
import type { SecretRow } from '../record/secret.row.js';
import { SecretRepository } from '../secret/secret.repository.js';
import { VAULT_SETTINGS, type VaultSettings } from '../vault-settings.js';

const DAY_MS = 86_400_000;
const BATCH = 500;

export interface LifecycleRun {
  inactive: number;
  deleted: number;
  expiring: number;
}

/**
 * The StackSpot lifecycle: active secrets not read for LOCKWELL_INACTIVE_AFTER_DAYS become inactive, scheduled
 * deletions that came due are destroyed, and secrets close to expiry raise one event. Each batch is one
 * repository sweep (claimed with FOR UPDATE SKIP LOCKED, so replicas running the job together never transition
 * a row twice) in its own transaction; events and audit records commit with the change.
 */
@Injectable()
export class LifecycleJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LifecycleJob');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(VAULT_SETTINGS) private readonly settings: VaultSettings,
    private readonly secrets: SecretRepository,
  ) {}

  onApplicationBootstrap() {
    if (!this.settings.lifecycleIntervalMs) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce(this.clock.now())
        .catch((err) => this.logger.warn(`lifecycle pass failed: ${(err as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.settings.lifecycleIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown() {
    clearInterval(this.timer);
    await this.running;
  }

  /** One full pass as of `now` (tests call it with a fake clock's time). */
  async runOnce(now: Date): Promise<LifecycleRun> {
    const inactiveBefore = new Date(now.getTime() - this.settings.inactiveAfterDays * DAY_MS);
    const warnBefore = new Date(now.getTime() + this.settings.expiryWarningDays * DAY_MS);
    const inactive = await this.drain(SecretBecameInactive, 'secret.inactive', (em) =>
      this.secrets.sweepInactive(em, inactiveBefore, now, BATCH),
    );
    const deleted = await this.drain(SecretDeleted, 'secret.delete', (em) =>
      this.secrets.sweepDueDeletions(em, now, BATCH),
    );
    const expiring = await this.drain(SecretExpiring, 'secret.expiring', (em) =>
      this.secrets.sweepExpiring(em, warnBefore, BATCH),
    );
    return { inactive, deleted, expiring };
  }

  private async drain(
    event: EventContract,
    action: string,
    sweep: (em: EntityManager) => Promise<SecretRow[]>,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await (this.orm.em.fork() as EntityManager).transactional(async (em) => {
        const rows = await sweep(em);
        const ctx = systemContext(`lifecycle-${this.clock.now().getTime()}`);
        for (const row of rows) {
          this.outbox.emit(em, event, secretEvent(row, null), row.tenant_id);
          this.outbox.audit(em, ctx, {
            action,
            resourceType: 'secret',
            resourceId: row.id,
            tenantId: row.tenant_id,
            system: true,
            detail: { by: 'lifecycle' },
          });
        }
        return rows.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }
}
