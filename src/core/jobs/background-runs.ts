import { isUnavailable } from '../errors.ts';

type Warn = (message: string, error: unknown) => void;

/**
 * What every kind of background job (8x8's batches, imports) keeps per node: the jobs it runs,
 * whether it is stopping, and the sweep that takes over other nodes' unfinished jobs. A node that
 * stops lets each run finish its current chunk; the rest is resumed by a node that starts.
 */
export class BackgroundRuns {
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;
  private sweeper: NodeJS.Timeout | undefined;

  /** `label` names the kind of job in warnings ("imports", "batch jobs"). */
  constructor(private readonly label: string, private readonly warn: Warn) {}

  get stopping(): boolean {
    return this.stopped;
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Runs a job in the background, after the caller that accepted it has been answered. */
  launch(id: string, run: () => Promise<void>): void {
    const done = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await run();
    })().finally(() => this.running.delete(id));
    this.running.set(id, done);
  }

  /** Sweeps now, and every `everyMs` after, until stop. */
  async startSweeping(sweep: () => Promise<unknown>, everyMs: number): Promise<void> {
    this.stopped = false;
    await sweep();
    this.sweeper = setInterval(() => void sweep().catch((error) => this.warn(`${this.label}: looking for unfinished jobs failed`, error)), everyMs);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    await Promise.allSettled([...this.running.values()]);
  }
}

const UNAVAILABLE_BACKOFF_MS = { first: 500, max: 5000 };

/**
 * Runs a chunk, trying it again when it was undone whole: by a PostgreSQL deadlock or
 * serialization failure (three tries), or by the database going away (restarting, failing over),
 * with a growing pause, for as long as it takes or until the node stops. `undone` is told each
 * time, so that what the chunk learned (cached ids) is forgotten with it.
 */
export async function withChunkRetries<T>(work: () => Promise<T>, options: { label: string; stopping: () => boolean; warn: Warn; undone?: () => void }): Promise<T> {
  let pause = UNAVAILABLE_BACKOFF_MS.first;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      options.undone?.();
      if (isUnavailable(error) && !options.stopping()) {
        options.warn(`${options.label}: the database is unavailable; trying the chunk again in ${pause} ms`, error);
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, UNAVAILABLE_BACKOFF_MS.max);
        continue;
      }
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
