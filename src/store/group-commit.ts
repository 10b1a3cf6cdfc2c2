import type { Store } from '../core/ports.ts';

type Work = (tx: Store) => Promise<unknown>;

/**
 * SQLite runs one write transaction at a time, and its commit (writing the log) costs more than
 * a typical write. So transactions that queue up while one runs are run together, one after the
 * other in one transaction, each in its own savepoint: a work that fails undoes only its own
 * writes, and every caller is answered after the shared commit, so nothing is acknowledged
 * before it is durable. The effect is that of running them one by one, with one commit.
 */
export class GroupCommit {
  private readonly queue: { work: Work; resolve: (value: any) => void; reject: (error: unknown) => void }[] = [];
  private draining = false;

  constructor(private readonly begin: (run: (tx: Store) => Promise<void>) => Promise<void>) {}

  run<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      // Wait one turn of the event loop, so that requests already arrived can join this commit.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, MAX_GROUP);
      const answers: (() => void)[] = [];
      try {
        await this.begin(async (tx) => {
          for (const { work, resolve, reject } of group) {
            try {
              const value = await tx.savepoint(() => work(tx));
              answers.push(() => resolve(value));
            } catch (error) {
              answers.push(() => reject(error));
            }
          }
        });
        for (const answer of answers) answer();
      } catch (error) {
        for (const { reject } of group) reject(error);
      }
    }
    this.draining = false;
  }
}

/** Enough to spread a commit thin; small enough that a lookup never waits long behind a group. */
const MAX_GROUP = 32;
