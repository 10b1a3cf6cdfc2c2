import type { Kysely } from 'kysely';
import { UNFINISHED_IMPORT_STATUSES, type ImportChunkProgress, type ImportErrorRecord, type ImportJob } from '../core/imports/import-job.types.ts';
import type { ImportJobRepository, PageRequest } from '../core/ports.ts';
import type { Page, Scope } from '../core/types.ts';
import type { Surface } from '../core/journal/change.types.ts';
import { chunks, pageOf, rowsPerStatement } from './contact.rows.ts';
import type { EngineName } from './engine.ts';
import type { Database, ImportJobRow } from './tables.ts';

/** Import jobs over Kysely; ownership is held by conditional updates, as batch jobs' is. */
export class KyselyImportJobRepository implements ImportJobRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: EngineName,
  ) {}

  async putFileChunk(jobId: string, n: number, bytes: Uint8Array): Promise<void> {
    await this.db.insertInto('import_file_chunks').values({ job_id: jobId, n, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }).execute();
  }

  async fileChunk(jobId: string, n: number): Promise<Uint8Array | undefined> {
    const row = await this.db.selectFrom('import_file_chunks').select('bytes').where('job_id', '=', jobId).where('n', '=', n).executeTakeFirst();
    return row?.bytes;
  }

  async deleteFile(jobId: string): Promise<void> {
    await this.db.deleteFrom('import_file_chunks').where('job_id', '=', jobId).execute();
  }

  async insert(job: Omit<ImportJob, 'seq'>): Promise<ImportJob> {
    const { seq } = await this.db.insertInto('import_jobs').values(toRow(job)).returning('seq').executeTakeFirstOrThrow();
    return { ...job, seq: Number(seq) };
  }

  async find(accountId: string, id: string): Promise<ImportJob | undefined> {
    const row = await this.db.selectFrom('import_jobs').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(accountId: string, page: PageRequest): Promise<Page<ImportJob>> {
    let select = this.db.selectFrom('import_jobs').selectAll().where('account_id', '=', accountId);
    if (page.afterSeq !== undefined) select = select.where('seq', '<', page.afterSeq);
    const rows = await select.orderBy('seq', 'desc').limit(page.limit + 1).execute();
    return pageOf(rows.map(fromRow), page.limit);
  }

  async claimStale(owner: string, now: string, staleBefore: string, limit: number): Promise<ImportJob[]> {
    let stale = this.db
      .selectFrom('import_jobs')
      .select('id')
      .where('status', 'in', UNFINISHED_IMPORT_STATUSES)
      .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', staleBefore)]))
      .orderBy('seq')
      .limit(limit);
    if (this.engine === 'postgres') stale = stale.forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('import_jobs')
      .set({ owner, heartbeat_at: now, updated_at: now })
      .where('id', 'in', stale)
      // Checked again: on PostgreSQL a row re-read after a wait may have been claimed meanwhile.
      .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', staleBefore)]))
      .where('status', 'in', UNFINISHED_IMPORT_STATUSES)
      .returningAll()
      .execute();
    return rows.map(fromRow);
  }

  async renew(id: string, owner: string, now: string): Promise<boolean> {
    const result = await this.owned(id, owner).set({ heartbeat_at: now }).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async markRunning(id: string, owner: string, now: string, definedFields: boolean): Promise<boolean> {
    const result = await this.owned(id, owner)
      .set((eb) => ({ status: 'running', defined_fields: definedFields ? 1 : 0, heartbeat_at: now, updated_at: now, started_at: eb.fn.coalesce('started_at', eb.val(now)) }))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async setTotal(id: string, total: number): Promise<void> {
    await this.db.updateTable('import_jobs').set({ total }).where('id', '=', id).execute();
  }

  async recordChunk(id: string, owner: string, p: ImportChunkProgress): Promise<boolean> {
    const result = await this.owned(id, owner)
      .set((eb) => ({
        processed: eb('processed', '+', p.processed),
        created: eb('created', '+', p.created),
        updated: eb('updated', '+', p.updated),
        merged: eb('merged', '+', p.merged),
        skipped: eb('skipped', '+', p.skipped),
        failed: eb('failed', '+', p.failed),
        rows_done: p.rowsDone,
        heartbeat_at: p.now,
        updated_at: p.now,
        ...(p.finished ? { status: 'completed', finished_at: p.now, total: eb('processed', '+', p.processed) } : {}),
      }))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    const rows = p.errors.map((e) => ({ job_id: id, row: e.row, column: e.column, code: e.code, message: e.message, raw: e.raw === null ? null : JSON.stringify(e.raw) }));
    for (const part of chunks(rows, rowsPerStatement(7))) await this.db.insertInto('import_errors').values(part).execute();
    return true;
  }

  async fail(id: string, owner: string, error: string, now: string): Promise<void> {
    await this.owned(id, owner).set({ status: 'failed', error, updated_at: now, finished_at: now }).execute();
  }

  async cancel(accountId: string, id: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('import_jobs')
      .set({ status: 'cancelled', cancel_requested: 1, updated_at: now, finished_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .where('status', 'in', UNFINISHED_IMPORT_STATUSES)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async errors(jobId: string, page: PageRequest): Promise<Page<ImportErrorRecord>> {
    let select = this.db.selectFrom('import_errors').selectAll().where('job_id', '=', jobId);
    if (page.afterSeq !== undefined) select = select.where('seq', '>', page.afterSeq);
    const rows = await select.orderBy('seq').limit(page.limit + 1).execute();
    return pageOf(
      rows.map((r) => ({ seq: Number(r.seq), row: Number(r.row), column: r.column, code: r.code, message: r.message, raw: r.raw === null ? null : JSON.parse(r.raw) })),
      page.limit,
    );
  }

  /** An update of the job that holds only while `owner` runs it and it is unfinished. */
  private owned(id: string, owner: string) {
    return this.db.updateTable('import_jobs').where('id', '=', id).where('owner', '=', owner).where('status', 'in', UNFINISHED_IMPORT_STATUSES);
  }
}

function toRow(job: Omit<ImportJob, 'seq'>) {
  return {
    ...job,
    scopes: job.scopes.join(','),
    options: JSON.stringify(job.options),
    plan: JSON.stringify(job.plan),
    cancel_requested: job.cancel_requested ? 1 : 0,
    defined_fields: job.defined_fields ? 1 : 0,
  };
}

function fromRow(row: ImportJobRow): ImportJob {
  const n = (v: number | string) => Number(v);
  return {
    ...row,
    seq: n(row.seq),
    scopes: row.scopes.split(',') as Scope[],
    surface: row.surface as Surface,
    status: row.status as ImportJob['status'],
    format: row.format as ImportJob['format'],
    options: JSON.parse(row.options),
    plan: JSON.parse(row.plan),
    byte_size: n(row.byte_size),
    total: row.total === null ? null : n(row.total),
    processed: n(row.processed),
    created: n(row.created),
    updated: n(row.updated),
    merged: n(row.merged),
    skipped: n(row.skipped),
    failed: n(row.failed),
    rows_done: n(row.rows_done),
    cancel_requested: Number(row.cancel_requested) === 1,
    defined_fields: Number(row.defined_fields) === 1,
  };
}
