import { setImmediate as nextTurn } from 'node:timers/promises';
import { nowIso } from '../clock.ts';
import { CustomFieldService } from '../directory/custom-field.service.ts';
import { DomainError } from '../errors.ts';
import { withChunkRetries } from '../jobs/background-runs.ts';
import { recordChange } from '../journal/journal.ts';
import type { Store } from '../ports.ts';
import type { AddressBook, CustomField, Principal } from '../types.ts';
import { writeChunk, type ChunkResult } from './import-chunk.ts';
import { byteSourceOf } from './import-file.ts';
import type { ImportChunkProgress, ImportJob } from './import-job.types.ts';
import type { ImportReader } from './file-reader.ts';
import type { ImportReadContext, ImportRow } from './import.types.ts';
import { summaryOf } from './import-summary.ts';

/** Thrown inside a chunk's transaction when the job is no longer ours (taken over, cancelled): the chunk is undone. */
export class LostJob extends Error {}
/** Thrown to undo a dry run's writes while keeping what it learned. */
class DryRunUndo extends Error {}

export interface RunnerDeps {
  store: Store;
  reader: ImportReader;
  nodeId: string;
  defaultRegion: string;
  chunkRows: number;
  /** True once the node is stopping: the job ends after its current chunk, to be resumed. */
  stopping: () => boolean;
  warn: (message: string, error: unknown) => void;
  /** Called after each committed chunk (the CLI's progress bar). */
  onProgress?: (job: ImportJob) => void;
}

/**
 * Runs a job the node holds, from its resume point to its end: each chunk's writes, problems,
 * counters and resume point commit together, only while the node still holds the job, so a
 * kill leaves each chunk wholly done or not at all, and a resumed job skips the rows done.
 */
export async function runImport(deps: RunnerDeps, claimed: ImportJob): Promise<void> {
  const { store, nodeId } = deps;
  let job = claimed;
  const actor: Principal = { accountId: job.account_id, keyId: job.key_id ?? '', scopes: job.scopes, surface: job.surface };
  const region = job.options.default_region ?? deps.defaultRegion;
  const source = byteSourceOf(store, job.id);
  const book = await bookOf(store, job);
  const dry = job.options.dry_run;

  const defineNow = !dry && !job.defined_fields && job.plan.fieldsToDefine.length > 0;
  const running = await store.transaction(async (tx) => {
    if (defineNow) await defineFields(tx, actor, job);
    return tx.imports.markRunning(job.id, nodeId, nowIso(), job.defined_fields || defineNow);
  });
  if (!running) return;
  job = { ...job, status: 'running', started_at: job.started_at ?? nowIso() };

  let counted = job.total;
  if (job.total === null) {
    // Counted beside the writing (its own pass over the file), so the first rows need not wait for it.
    void deps.reader.countImportRows(source, job.plan).then((total) => {
      counted = total;
      return store.imports.setTotal(job.id, total);
    }).catch((error) => deps.warn(`import ${job.id}: counting its rows failed`, error));
  }

  const ctx: ImportReadContext = { customFields: await fieldsFor(store, job), defaultRegion: region };
  const groups = new Map<string, string>();
  const rows = deps.reader.readImportRows(source, job.plan, job.options, ctx)[Symbol.asyncIterator]();
  let skip = job.rows_done;
  let next = await rows.next();
  while (!next.done && skip > 0) {
    skip--;
    next = await rows.next();
  }
  let rowsDone = job.rows_done;
  for (;;) {
    // A turn of the event loop between chunks: on SQLite a chunk's writes never wait on I/O, and
    // requests that came in meanwhile are answered before the next one.
    await nextTurn();
    if (deps.stopping()) return;
    const chunk: ImportRow[] = [];
    while (!next.done && chunk.length < deps.chunkRows) {
      chunk.push(next.value);
      next = await rows.next();
    }
    const finished = next.done === true;
    const write = () => runChunk(deps, job, actor, book, region, chunk, rowsDone + chunk.length, finished, groups);
    let committed: ImportJob | null;
    try {
      committed = await withChunkRetries(write, { label: `import ${job.id}`, stopping: deps.stopping, warn: deps.warn, undone: () => groups.clear() });
    } catch (error) {
      groups.clear();
      throw error;
    }
    if (committed === null) return;
    job = { ...committed, total: committed.total ?? counted };
    rowsDone = job.rows_done;
    deps.onProgress?.(job);
    if (finished) return;
  }
}

/** One chunk in one transaction: its writes (undone again on a dry run), problems, counts and resume point. */
async function runChunk(deps: RunnerDeps, job: ImportJob, actor: Principal, book: AddressBook, region: string, rows: ImportRow[], rowsDone: number, finished: boolean, groups: Map<string, string>): Promise<ImportJob | null> {
  try {
    return await deps.store.transaction(async (tx) => {
      // A book deleted while the job runs ends the job (failed, saying why) rather than refusing every row left.
      if (!(await tx.addressBooks.find(job.account_id, book.id))) {
        throw new DomainError('address_book_not_found', `the import's address book "${book.name}" was deleted while the import ran, after ${job.processed} rows`);
      }
      const ctx = { tx, actor, region, mode: job.options.mode, book, groups };
      let result: ChunkResult;
      if (job.options.dry_run) {
        // Everything the core checks, then undone: a dry run writes only the job and its problems.
        let undone: ChunkResult | undefined;
        await tx.savepoint(async () => {
          if (job.plan.fieldsToDefine.length > 0) await defineFields(tx, actor, job);
          undone = await writeChunk(ctx, rows);
          throw new DryRunUndo();
        }).catch((error) => {
          if (!(error instanceof DryRunUndo)) throw error;
        });
        result = undone!;
        groups.clear();
      } else {
        result = await writeChunk(ctx, rows);
      }
      const now = nowIso();
      const progress: ImportChunkProgress = { ...result, processed: rows.length, rowsDone, finished, now };
      if (!(await tx.imports.recordChunk(job.id, deps.nodeId, progress))) throw new LostJob();
      const after: ImportJob = {
        ...job,
        processed: job.processed + rows.length,
        created: job.created + result.created,
        updated: job.updated + result.updated,
        merged: job.merged + result.merged,
        skipped: job.skipped + result.skipped,
        failed: job.failed + result.failed,
        rows_done: rowsDone,
        heartbeat_at: now,
        updated_at: now,
        ...(finished ? { status: 'completed' as const, finished_at: now, total: job.processed + rows.length } : {}),
      };
      // The journal's record of the import, with the last chunk: `import.completed` for webhooks.
      if (finished) recordChange(tx, actor, 'import', 'completed', null, summaryOf(after));
      return after;
    });
  } catch (error) {
    if (error instanceof LostJob) return null;
    throw error;
  }
}


async function bookOf(store: Store, job: ImportJob): Promise<AddressBook> {
  const id = job.options.address_book_id;
  const book = id === undefined ? await store.addressBooks.findDefault(job.account_id) : await store.addressBooks.find(job.account_id, id);
  if (!book) throw new DomainError('address_book_not_found', `the import's address book ${id ?? '(default)'} no longer exists`);
  return book;
}

/** Defines the plan's new fields that are still missing (a resumed job, or a dry run's undone ones). */
async function defineFields(tx: Store, actor: Principal, job: ImportJob): Promise<void> {
  const fields = new CustomFieldService(tx);
  for (const field of [...job.plan.fieldsToDefine].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    // The lock that defining string fields takes: jobs of one account racing for a key take turns.
    await tx.lock(`custom-field:${job.account_id}:${field.key}`);
    if (await tx.customFields.findByKey(job.account_id, field.key)) continue;
    await fields.create(actor, { key: field.key, data_type: field.data_type });
  }
}

/** The account's fields, plus (on a dry run, which defines nothing for good) the plan's new ones. */
async function fieldsFor(store: Store, job: ImportJob): Promise<CustomField[]> {
  const fields = await store.customFields.listAll(job.account_id);
  const known = new Set(fields.map((f) => f.key));
  const now = nowIso();
  for (const f of job.plan.fieldsToDefine) {
    if (!known.has(f.key)) fields.push({ seq: 0, id: '', account_id: job.account_id, key: f.key, label: null, data_type: f.data_type, group: null, options: null, name: f.key, description: null, default_value: null, address_book_ids: [], flags: {}, created_at: now, updated_at: now });
  }
  return fields;
}
