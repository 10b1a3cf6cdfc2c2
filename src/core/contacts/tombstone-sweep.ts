import { purgeExpiredTombstones } from './contact-tombstones.ts';
import type { Store } from '../ports.ts';

/**
 * Purges deleted contacts once their retention is over, every `everySeconds` on every node: each
 * purge locks its contact and checks it is still an expired tombstone, so nodes never purge one twice.
 */
export class TombstoneSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly options: { retentionDays: number; everySeconds: number; warn: (message: string, error: unknown) => void },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sweep(), this.options.everySeconds * 1000);
    this.timer.unref();
    this.sweep();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private sweep(): void {
    this.running = this.running.then(() =>
      purgeExpiredTombstones(this.store, this.options.retentionDays).catch((error: unknown) => this.options.warn('the sweep of deleted contacts failed; it runs again later', error)),
    );
  }
}
