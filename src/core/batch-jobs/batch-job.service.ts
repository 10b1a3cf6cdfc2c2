import { preparePayload, runItem, workContext, failed, type BatchRequest } from './batch-job-work.ts';
import type { BatchItemResult, BatchJob, BatchKind, BatchProgress } from './batch-job.types.ts';
import { newId, nowIso } from '../clock.ts';
import { DomainError, isItemFailure, isUnavailable } from '../errors.ts';
import { BackgroundRuns, withChunkRetries } from '../jobs/background-runs.ts';
import type { Store } from '../ports.ts';
import type { Principal } from '../types.ts';

export type { BatchRequest };

export interface BatchJobOptions {
  defaultRegion: string;
  /** Items done per transaction: each chunk's results and counters are committed with its work. */
  chunkSize?: number;
  /** A job whose owner has not recorded progress for this long is taken over by another node. */
  staleAfterMs?: number;
  /**
   * A job with no item done for this long, whoever owned it meanwhile, ends as `timeout`
   * (0: never). Takeovers do not restart this clock, so a job that no node can move ends.
   */
  timeoutMs?: number;
  /** Where trouble in the background goes (the app passes its logger); nothing is thrown there. */
  warn?: (message: string, error: unknown) => void;
}

/** Waits between tries while the database is away: 0.5 s doubling to 5 s (also the most `stop` waits). */
/** Thrown inside a chunk's transaction when another node took the job over: the chunk is undone. */
class LostClaim extends Error {}

/**
 * Asynchronous batch jobs. A job is accepted (stored, queued) and run in the background by the
 * node that accepted it, chunk by chunk; each chunk's work, results and counters commit together,
 * and only while the node still owns the job. Status lives in the database, so any node answers
 * for any job. A node that starts, and every `staleAfterMs` after, takes over unfinished jobs
 * whose owner stopped recording progress (a node that died or was stopped), from the next item,
 * after first ending as `timeout` those with no item done for `timeoutMs`. A job stopped
 * (`stopJob`) or timed out records no further chunk: its runner's next chunk is undone.
 */
export class BatchJobService {
  /** This process's name as a job owner. */
  readonly nodeId = newId();
  private readonly runs: BackgroundRuns;
  private readonly chunkSize: number;
  private readonly staleAfterMs: number;
  private readonly timeoutMs: number;
  private readonly warn: (message: string, error: unknown) => void;

  constructor(
    private readonly store: Store,
    private readonly options: BatchJobOptions,
  ) {
    this.chunkSize = options.chunkSize ?? 50;
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 0;
    this.warn = options.warn ?? (() => {});
    this.runs = new BackgroundRuns('batch jobs', this.warn);
  }

  /** Accepts a job: its items are fixed now (e.g. the group's members), then it runs in the background. */
  async submit(actor: Principal, request: BatchRequest): Promise<BatchJob> {
    const job = await this.store.transaction(async (tx) => {
      const payload = await preparePayload(workContext(tx, actor, this.options.defaultRegion), request);
      const now = nowIso();
      return tx.batchJobs.insert({
        id: newId(), account_id: actor.accountId, key_id: actor.keyId, scopes: actor.scopes, surface: actor.surface, kind: request.kind, status: 'queued', payload,
        total: payload.items.length, processed: 0, succeeded: 0, merged: 0, failed: 0,
        owner: this.nodeId, heartbeat_at: now, progressed_at: now, error: null, created_at: now, updated_at: now, finished_at: null,
      });
    });
    this.launch(job);
    return job;
  }

  async get(actor: Principal, id: string): Promise<BatchJob> {
    const job = await this.store.batchJobs.find(actor.accountId, id);
    if (!job) throw new DomainError('not_found', `no batch job with id ${id}`);
    return job;
  }

  async results(actor: Principal, id: string): Promise<BatchItemResult[]> {
    return this.store.batchJobs.results((await this.get(actor, id)).id);
  }

  async list(actor: Principal, query: { kind?: BatchKind }, page: { limit: number; offset: number }): Promise<{ items: BatchJob[]; total: number }> {
    return this.store.batchJobs.list(actor.accountId, query, page);
  }

  /**
   * Stops an unfinished job of the account: it records no further chunk and keeps the results it
   * has. A job already final (completed, failed, stopped, timeout) is left as it is. Returns the job.
   */
  async stopJob(actor: Pick<Principal, 'accountId'>, id: string): Promise<BatchJob> {
    await this.store.transaction((tx) => tx.batchJobs.stop(actor.accountId, id, nowIso()));
    const job = await this.store.batchJobs.find(actor.accountId, id);
    if (!job) throw new DomainError('not_found', `no batch job with id ${id}`);
    return job;
  }

  /** Takes over the unfinished jobs of nodes that stopped, and keeps doing so every `staleAfterMs`. */
  async start(): Promise<void> {
    await this.runs.startSweeping(() => this.resumeUnfinished(), this.staleAfterMs);
  }

  /** Lets each running job finish its current chunk, then returns; the rest is resumed by a node that starts. */
  async stop(): Promise<void> {
    await this.runs.stop();
  }

  /**
   * Ends as `timeout` the jobs with no item done for `timeoutMs`, then claims unfinished jobs
   * whose owner has shown no progress for `staleAfterMs`; returns how many it took.
   */
  async resumeUnfinished(): Promise<number> {
    if (this.runs.stopping) return 0;
    if (this.timeoutMs > 0) {
      const progressedBefore = new Date(Date.now() - this.timeoutMs).toISOString();
      const reason = `no item was done for ${this.timeoutMs / 1000} seconds`;
      await this.store.transaction((tx) => tx.batchJobs.timeOutIdle(progressedBefore, nowIso(), reason));
    }
    const staleBefore = new Date(Date.now() - this.staleAfterMs).toISOString();
    let taken = 0;
    for (const job of await this.store.batchJobs.findStale(staleBefore, 100)) {
      if (this.runs.isRunning(job.id)) continue;
      const now = nowIso();
      if (!(await this.store.transaction((tx) => tx.batchJobs.claim(job.id, this.nodeId, job.heartbeat_at, now)))) continue;
      this.launch({ ...job, owner: this.nodeId, heartbeat_at: now });
      taken++;
    }
    return taken;
  }

  private launch(job: BatchJob): void {
    this.runs.launch(job.id, () => this.run(job));
  }

  private async run(job: BatchJob): Promise<void> {
    const actor: Principal = { accountId: job.account_id, keyId: job.key_id, scopes: job.scopes, surface: job.surface };
    let next = job.processed;
    try {
      do {
        if (this.runs.stopping) return;
        const end = Math.min(next + this.chunkSize, job.total);
        if (!(await withChunkRetries(() => this.runChunk(job, actor, next, end), { label: `batch job ${job.id}`, stopping: () => this.runs.stopping, warn: this.warn }))) return;
        next = end;
      } while (next < job.total);
    } catch (error) {
      // Stopping while the database is away: the job stays unfinished, and a node that starts takes it over.
      if (isUnavailable(error)) return this.warn(`batch job ${job.id}: stopped while the database is unavailable`, error);
      this.warn(`batch job ${job.id} failed`, error);
      const message = error instanceof Error ? error.message : String(error);
      await this.store.transaction((tx) => tx.batchJobs.fail(job.id, this.nodeId, message, nowIso())).catch((e) => this.warn(`batch job ${job.id}: recording its failure failed`, e));
    }
  }


  /** Items [from, end) in one transaction with their results; false when the job is no longer ours. */
  private async runChunk(job: BatchJob, actor: Principal, from: number, end: number): Promise<boolean> {
    try {
      return await this.store.transaction(async (tx) => {
        const ctx = workContext(tx, actor, this.options.defaultRegion);
        const progress: BatchProgress = { processed: end - from, succeeded: 0, merged: 0, failed: 0, results: [], status: end >= job.total ? 'completed' : 'in_progress', finished_at: null };
        for (let index = from; index < end; index++) {
          let outcome;
          try {
            outcome = await tx.savepoint(() => runItem(ctx, job.kind, job.payload, job.payload.items[index]));
          } catch (error) {
            if (!isItemFailure(error)) throw error;
            outcome = failed(error.code, error.detail);
          }
          progress[outcome.status === 'succeeded' ? 'succeeded' : outcome.status === 'merged' ? 'merged' : 'failed']++;
          progress.results.push({ index, ...outcome });
        }
        const now = nowIso();
        if (progress.status === 'completed') progress.finished_at = now;
        if (!(await tx.batchJobs.recordProgress(job.id, this.nodeId, progress, now))) throw new LostClaim();
        return true;
      });
    } catch (error) {
      if (error instanceof LostClaim) return false;
      throw error;
    }
  }
}
