import type { Surface } from '../core/journal/change.types.ts';
import type { Kysely } from 'kysely';
import { UNFINISHED_STATUSES, type BatchItemResult, type BatchJob, type BatchKind, type BatchProgress } from '../core/batch-jobs/batch-job.types.ts';
import type { BatchJobRepository } from '../core/ports.ts';
import type { Scope } from '../core/types.ts';
import { chunks, rowsPerStatement } from './contact.rows.ts';
import type { BatchJobRow, Database } from './tables.ts';

/** Batch jobs and their results; ownership is held by conditional updates, never by a lock held across requests. */
export class KyselyBatchJobRepository implements BatchJobRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(job: Omit<BatchJob, 'seq'>): Promise<BatchJob> {
    const { seq } = await this.db.insertInto('batch_jobs').values(toRow(job)).returning('seq').executeTakeFirstOrThrow();
    return { ...job, seq: Number(seq) };
  }

  async find(accountId: string, id: string): Promise<BatchJob | undefined> {
    const row = await this.db.selectFrom('batch_jobs').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(accountId: string, query: { kind?: BatchKind }, page: { limit: number; offset: number }): Promise<{ items: BatchJob[]; total: number }> {
    let select = this.db.selectFrom('batch_jobs').where('account_id', '=', accountId);
    if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
    const [rows, { count }] = await Promise.all([
      select.selectAll().orderBy('seq', 'desc').limit(page.limit).offset(page.offset).execute(),
      select.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(fromRow), total: Number(count) };
  }

  async results(jobId: string): Promise<BatchItemResult[]> {
    const rows = await this.db.selectFrom('batch_job_results').selectAll().where('job_id', '=', jobId).orderBy('item_index').execute();
    return rows.map((r) => ({
      index: Number(r.item_index),
      status: r.status as BatchItemResult['status'],
      ref: r.ref,
      ref_seq: r.ref_seq === null ? null : Number(r.ref_seq),
      code: r.code,
      message: r.message,
    }));
  }

  async findStale(staleBefore: string, limit: number): Promise<BatchJob[]> {
    const rows = await this.db
      .selectFrom('batch_jobs')
      .selectAll()
      .where('status', 'in', UNFINISHED_STATUSES)
      .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', staleBefore)]))
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }

  async claim(id: string, owner: string, seenHeartbeat: string | null, now: string): Promise<boolean> {
    let update = this.db.updateTable('batch_jobs').set({ owner, heartbeat_at: now, updated_at: now }).where('id', '=', id).where('status', 'in', UNFINISHED_STATUSES);
    update = seenHeartbeat === null ? update.where('heartbeat_at', 'is', null) : update.where('heartbeat_at', '=', seenHeartbeat);
    const result = await update.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async recordProgress(id: string, owner: string, progress: BatchProgress, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('batch_jobs')
      .set((eb) => ({
        status: progress.status,
        processed: eb('processed', '+', progress.processed),
        succeeded: eb('succeeded', '+', progress.succeeded),
        merged: eb('merged', '+', progress.merged),
        failed: eb('failed', '+', progress.failed),
        heartbeat_at: now,
        progressed_at: now,
        updated_at: now,
        finished_at: progress.finished_at,
      }))
      .where('id', '=', id)
      .where('owner', '=', owner)
      // A job stopped or timed out meanwhile takes no more work, even from its owner.
      .where('status', 'in', UNFINISHED_STATUSES)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    const rows = progress.results.map((r) => ({ job_id: id, item_index: r.index, status: r.status, ref: r.ref, ref_seq: r.ref_seq, code: r.code, message: r.message }));
    for (const part of chunks(rows, rowsPerStatement(7))) await this.db.insertInto('batch_job_results').values(part).execute();
    return true;
  }

  async fail(id: string, owner: string, error: string, now: string): Promise<void> {
    await this.db.updateTable('batch_jobs').set({ status: 'failed', error, updated_at: now, finished_at: now }).where('id', '=', id).where('owner', '=', owner).where('status', 'in', UNFINISHED_STATUSES).execute();
  }

  async stop(accountId: string, id: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('batch_jobs')
      .set({ status: 'stopped', updated_at: now, finished_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .where('status', 'in', UNFINISHED_STATUSES)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async timeOutIdle(progressedBefore: string, now: string, error: string): Promise<number> {
    const result = await this.db
      .updateTable('batch_jobs')
      .set({ status: 'timeout', error, updated_at: now, finished_at: now })
      .where('status', 'in', UNFINISHED_STATUSES)
      .where('progressed_at', '<', progressedBefore)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

function toRow(job: Omit<BatchJob, 'seq'>) {
  return { ...job, scopes: job.scopes.join(','), payload: JSON.stringify(job.payload) };
}

function fromRow(row: BatchJobRow): BatchJob {
  return {
    ...row,
    seq: Number(row.seq),
    scopes: row.scopes.split(',') as Scope[],
    surface: row.surface as Surface,
    kind: row.kind as BatchKind,
    status: row.status as BatchJob['status'],
    payload: JSON.parse(row.payload),
    total: Number(row.total),
    processed: Number(row.processed),
    succeeded: Number(row.succeeded),
    merged: Number(row.merged),
    failed: Number(row.failed),
  };
}
