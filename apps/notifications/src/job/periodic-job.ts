import { Logger } from '@nestjs/common';

/**
 * Runs `batch` every `intervalMs` in this replica (0: never), one pass at a time; a pass repeats the batch while
 * it comes back full (`batchSize` items), so a backlog drains without waiting for the next tick. stop() waits
 * for the pass in flight. Replica safety is the batch's business (unique keys, SKIP LOCKED), not the timer's.
 */
export class PeriodicJob {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    name: string,
    private readonly intervalMs: number,
    private readonly batchSize: number,
    private readonly batch: () => Promise<number>,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    if (!this.intervalMs) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.drain()
        .catch((err) => this.logger.warn(`pass failed: ${(err as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Runs batches until one is not full; returns how many items they handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.batch();
      total += n;
      if (n < this.batchSize) return total;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
