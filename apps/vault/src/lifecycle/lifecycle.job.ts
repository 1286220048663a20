import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SecretBecameInactive, SecretDeleted, SecretExpiring, systemContext, type EventContract } from '@lockwell/contracts';
import { CLOCK, Outbox, type Clock } from '@lockwell/service-kit';
import { secretEvent } from '../secret/secret-events.js';
import type { SecretRow } from '../secret/secret.row.js';
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
 * deletions that came due are destroyed, and secrets close to expiry raise one event. Each batch claims its
 * rows with FOR UPDATE SKIP LOCKED and changes them in the same statement, so replicas running the job
 * together never transition a row twice; events and audit records commit with the change.
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
    const at = now.toISOString();
    const inactiveBefore = new Date(now.getTime() - this.settings.inactiveAfterDays * DAY_MS).toISOString();
    const warnBefore = new Date(now.getTime() + this.settings.expiryWarningDays * DAY_MS).toISOString();
    const inactive = await this.drain(
      SecretBecameInactive,
      'secret.inactive',
      `with due as (select id from secrets where status = 'active' and activity_at <= ? order by activity_at limit ${BATCH} for update skip locked)
       update secrets s set status = 'inactive', inactive_since = ?, updated_at = ? from due where s.id = due.id returning s.*`,
      [inactiveBefore, at, at],
    );
    const deleted = await this.drain(
      SecretDeleted,
      'secret.delete',
      `with due as (select id from secrets where status = 'scheduled_for_deletion' and deletion_scheduled_at <= ? limit ${BATCH} for update skip locked)
       delete from secrets s using due where s.id = due.id returning s.*`,
      [at],
    );
    const expiring = await this.drain(
      SecretExpiring,
      'secret.expiring',
      `with due as (select id from secrets where expires_at <= ? and expiry_notified_for is distinct from expires_at limit ${BATCH} for update skip locked)
       update secrets s set expiry_notified_for = s.expires_at from due where s.id = due.id returning s.*`,
      [warnBefore],
    );
    return { inactive, deleted, expiring };
  }

  private async drain(event: EventContract, action: string, sql: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await (this.orm.em.fork() as EntityManager).transactional(async (em) => {
        const rows = await em.execute<SecretRow[]>(sql, params);
        const ctx = systemContext(`lifecycle-${this.clock.now().getTime()}`);
        for (const row of rows) {
          this.outbox.emit(em, event, secretEvent(row, null), row.tenant_id);
          this.outbox.audit(em, ctx, { action, resourceType: 'secret', resourceId: row.id, tenantId: row.tenant_id, system: true, detail: { by: 'lifecycle' } });
        }
        return rows.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }
}
