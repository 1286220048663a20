import { Logger } from '@nestjs/common';

/**
 * Runs `pass` every `intervalMs` in this replica (0: never), one pass at a time; stop() waits for the pass in
 * flight. Replica safety is the pass's business (unique keys, SKIP LOCKED), not the timer's.
 */
export class PeriodicJob {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    name: string,
    private readonly intervalMs: number,
    private readonly pass: () => Promise<unknown>,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    if (!this.intervalMs) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.pass()
        .catch((err) => this.logger.warn(`pass failed: ${(err as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
