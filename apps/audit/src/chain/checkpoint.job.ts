import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, SERVICE_CONFIG, type Clock } from '@lockwell/service-kit';
import type { Config } from '../config.js';
import { ChainService } from './chain.service.js';

const DAY_MS = 86_400_000;

/**
 * Every LOCKWELL_AUDIT_CHECKPOINT_INTERVAL_MS: a signed checkpoint of each chain whose head moved (so removing
 * the newest records is detected), then retention (LOCKWELL_AUDIT_RETENTION_DAYS) behind those checkpoints.
 * Replicas may run it together: a checkpoint per (chain, position) is written once, and pruning locks the chain.
 */
@Injectable()
export class CheckpointJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CheckpointJob');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly chains: ChainService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap() {
    const every = this.config.LOCKWELL_AUDIT_CHECKPOINT_INTERVAL_MS;
    if (!every) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((err) => this.logger.warn(`checkpoint pass failed: ${(err as Error).message}`))
        .finally(() => (this.running = undefined));
    }, every);
  }

  async runOnce(): Promise<{ checkpoints: number; pruned: number }> {
    const now = this.clock.now();
    const checkpoints = await this.chains.checkpointAll(now);
    const days = this.config.LOCKWELL_AUDIT_RETENTION_DAYS;
    const pruned = days ? await this.chains.prune(new Date(now.getTime() - days * DAY_MS)) : 0;
    if (pruned) this.logger.log(`retention removed ${pruned} audit records older than ${days} days`);
    return { checkpoints, pruned };
  }

  async onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
