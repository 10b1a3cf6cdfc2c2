import { newId, nowIso } from '../clock.ts';
import { decodeCursor } from '../cursor.ts';
import { DomainError, invalidField, isUnavailable } from '../errors.ts';
import { BackgroundRuns } from '../jobs/background-runs.ts';
import type { Store } from '../ports.ts';
import type { Page, Principal } from '../types.ts';
import { byteSourceOf, memorySource, storeUpload, tooLarge } from './import-file.ts';
import type { ImportErrorRecord, ImportJob } from './import-job.types.ts';
import type { ImportReader } from './file-reader.ts';
import { runImport } from './import-runner.ts';
import type { ImportOptions, ImportPreview, ImportReadContext } from './import.types.ts';

export interface ImportJobOptions {
  defaultRegion: string;
  reader: ImportReader;
  /** The largest file accepted (IMPORT_MAX_BYTES). */
  maxBytes: number;
  /** Rows written per transaction: each chunk's writes, problems and resume point commit together. */
  chunkRows?: number;
  /** A job whose owner has shown no sign of life for this long is taken over by another node. */
  staleAfterMs?: number;
  warn?: (message: string, error: unknown) => void;
}

/** An upload: the file's bytes as they arrive, and what the caller said of them. */
export interface ImportUpload {
  body: AsyncIterable<Uint8Array>;
  contentType: string | undefined;
  fileName: string | null;
  options: ImportOptions;
}

/** A file stored by storeFile, with what its upload said of it. */
export interface StoredFile {
  fileId: string;
  byteSize: number;
  contentType: string | undefined;
  fileName: string | null;
}

/** How much of a file a preview reads: its first rows are well within it. */
const PREVIEW_BYTES = 1024 * 1024;

/**
 * Import jobs. A job is accepted (file stored in pieces, plan fixed) and run in the background by
 * the node that accepted it; status lives in the database, so any node answers for any job. Every
 * node, when it starts and every `staleAfterMs` after, takes over unfinished jobs whose owner went
 * silent (killed, stopped), from their last committed chunk.
 */
export class ImportJobService {
  readonly nodeId = newId();
  private readonly runs: BackgroundRuns;
  private readonly chunkRows: number;
  private readonly staleAfterMs: number;
  private readonly warn: (message: string, error: unknown) => void;

  constructor(
    private readonly store: Store,
    private readonly options: ImportJobOptions,
  ) {
    this.chunkRows = options.chunkRows ?? 500;
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
    this.warn = options.warn ?? (() => {});
    this.runs = new BackgroundRuns('imports', this.warn);
  }

  /** The largest file accepted. */
  get maxBytes(): number {
    return this.options.maxBytes;
  }

  /** Stores the file, fixes how it is read and queues the job (see acceptStored). */
  async accept(actor: Principal, upload: ImportUpload, run = true): Promise<ImportJob> {
    await this.assertBook(actor, upload.options);
    const file = await this.storeFile(upload.body);
    return this.acceptStored(actor, { ...file, contentType: upload.contentType, fileName: upload.fileName }, upload.options, run);
  }

  /** Stores an upload as it streams in (refused past the limit, with nothing kept); it becomes a job's file with acceptStored. */
  async storeFile(body: AsyncIterable<Uint8Array>): Promise<{ fileId: string; byteSize: number }> {
    const fileId = newId();
    return { fileId, byteSize: await storeUpload(this.store, fileId, body, this.options.maxBytes) };
  }

  /** Removes a stored upload that will not become a job (the rest of its request was refused). */
  async discardFile(fileId: string): Promise<void> {
    await this.store.imports.deleteFile(fileId);
  }

  /**
   * Fixes how the stored file is read (refusing a bad mapping or an unknown book, and then
   * removing the file, before any job exists) and queues the job under the file's id; `run: false`
   * leaves running it to the caller (the CLI).
   */
  async acceptStored(actor: Principal, file: StoredFile, options: ImportOptions, run = true): Promise<ImportJob> {
    const id = file.fileId;
    try {
      if (file.byteSize === 0) throw invalidField('file', 'is empty: send the file');
      await this.assertBook(actor, options);
      const plan = await this.options.reader.planImport(byteSourceOf(this.store, id), file.contentType, options, await this.readContext(actor, options));
      const now = nowIso();
      const job = await this.store.transaction((tx) =>
        tx.imports.insert({
          id, account_id: actor.accountId, key_id: actor.keyId === '' ? null : actor.keyId, scopes: actor.scopes, surface: 'import', status: 'queued', options, plan, format: plan.format,
          content_type: file.contentType ?? null, file_name: file.fileName, byte_size: file.byteSize, total: null,
          processed: 0, created: 0, updated: 0, merged: 0, skipped: 0, failed: 0, rows_done: 0,
          owner: this.nodeId, heartbeat_at: now, cancel_requested: false, error: null, defined_fields: false,
          started_at: null, finished_at: null, created_at: now, updated_at: now,
        }),
      );
      if (run) this.launch(job);
      return job;
    } catch (error) {
      await this.store.imports.deleteFile(id).catch(() => {});
      throw error;
    }
  }

  /** The first megabyte of an upload (the rest is read and dropped, counted against the limit): what a preview reads. */
  async readHead(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
    const head: Buffer[] = [];
    let kept = 0;
    let size = 0;
    for await (const piece of body) {
      size += piece.byteLength;
      if (size > this.options.maxBytes) throw tooLarge(this.options.maxBytes);
      if (kept < PREVIEW_BYTES) {
        const take = Buffer.from(piece.buffer, piece.byteOffset, Math.min(piece.byteLength, PREVIEW_BYTES - kept));
        head.push(take);
        kept += take.byteLength;
      }
    }
    return Buffer.concat(head, kept);
  }

  /** What the file holds and how it would be read, from its head; nothing is stored. */
  async preview(actor: Principal, head: Uint8Array, contentType: string | undefined, options: ImportOptions): Promise<ImportPreview> {
    if (head.byteLength === 0) throw invalidField('file', 'is empty: send the file');
    await this.assertBook(actor, options);
    return this.options.reader.previewImport(memorySource(head), contentType, options, await this.readContext(actor, options));
  }

  /** Runs an accepted job to its end in this process (the CLI), reporting each chunk. */
  async runHere(job: ImportJob, onProgress?: (job: ImportJob) => void): Promise<ImportJob> {
    await this.runJob(job, onProgress);
    return (await this.store.imports.find(job.account_id, job.id))!;
  }

  async get(actor: Principal, id: string): Promise<ImportJob> {
    const job = await this.store.imports.find(actor.accountId, id);
    if (!job) throw new DomainError('import_not_found', `no import with id ${id}`);
    return job;
  }

  async list(actor: Principal, limit: number, cursor?: string): Promise<Page<ImportJob>> {
    return this.store.imports.list(actor.accountId, { limit, afterSeq: decodeCursor(cursor) });
  }

  /** Stops an unfinished job between chunks: what was written stays. A final job is left as it is. */
  async cancel(actor: Principal, id: string): Promise<ImportJob> {
    await this.get(actor, id);
    await this.store.transaction((tx) => tx.imports.cancel(actor.accountId, id, nowIso()));
    return this.get(actor, id);
  }

  /** A page of the job's problems, in file order. */
  async errors(actor: Principal, id: string, limit: number, cursor?: string): Promise<Page<ImportErrorRecord>> {
    const job = await this.get(actor, id);
    return this.store.imports.errors(job.id, { limit, afterSeq: decodeCursor(cursor) });
  }

  /** Every problem of the job, in file order, read a page at a time (for the CSV report). */
  async *allErrors(actor: Principal, id: string): AsyncIterable<ImportErrorRecord> {
    const job = await this.get(actor, id);
    let afterSeq: number | undefined;
    for (;;) {
      const page = await this.store.imports.errors(job.id, { limit: 1000, ...(afterSeq === undefined ? {} : { afterSeq }) });
      yield* page.items;
      if (page.nextCursor === null || page.items.length === 0) return;
      afterSeq = page.items[page.items.length - 1]!.seq;
    }
  }

  /** Takes over unfinished jobs of silent nodes now, and every `staleAfterMs` after. */
  async start(): Promise<void> {
    await this.runs.startSweeping(() => this.resumeUnfinished(), Math.max(this.staleAfterMs / 2, 250));
  }

  /** Lets each running job finish its chunk, then returns; the rest is resumed by a node that starts. */
  async stop(): Promise<void> {
    await this.runs.stop();
  }

  async resumeUnfinished(): Promise<number> {
    if (this.runs.stopping) return 0;
    const now = new Date();
    const staleBefore = new Date(now.getTime() - this.staleAfterMs).toISOString();
    const jobs = await this.store.transaction((tx) => tx.imports.claimStale(this.nodeId, now.toISOString(), staleBefore, 10));
    for (const job of jobs) if (!this.runs.isRunning(job.id)) this.launch(job);
    return jobs.length;
  }

  private launch(job: ImportJob): void {
    this.runs.launch(job.id, () => this.runJob(job));
  }

  private async runJob(job: ImportJob, onProgress?: (job: ImportJob) => void): Promise<void> {
    // The heartbeat shows this node alive while it reads ahead (a resume skips the rows done) or writes a long chunk.
    let lost = false;
    const heartbeat = setInterval(() => {
      void this.store.imports.renew(job.id, this.nodeId, nowIso()).then((held) => { if (!held) lost = true; }).catch(() => {});
    }, Math.max(this.staleAfterMs / 3, 100));
    heartbeat.unref();
    try {
      await runImport({
        store: this.store, reader: this.options.reader, nodeId: this.nodeId, defaultRegion: this.options.defaultRegion, chunkRows: this.chunkRows,
        stopping: () => this.runs.stopping || lost, warn: this.warn, ...(onProgress ? { onProgress } : {}),
      }, job);
    } catch (error) {
      if (isUnavailable(error)) return this.warn(`import ${job.id}: stopped while the database is unavailable`, error);
      this.warn(`import ${job.id} failed`, error);
      const message = error instanceof Error ? error.message : String(error);
      await this.store.transaction((tx) => tx.imports.fail(job.id, this.nodeId, message, nowIso())).catch((e) => this.warn(`import ${job.id}: recording its failure failed`, e));
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async assertBook(actor: Principal, options: ImportOptions): Promise<void> {
    const id = options.address_book_id;
    if (id !== undefined && !(await this.store.addressBooks.find(actor.accountId, id))) {
      throw new DomainError('address_book_not_found', `no address book with id ${id}`, [{ path: 'address_book_id', message: `no address book with id ${id}` }]);
    }
  }

  private async readContext(actor: Principal, options: ImportOptions): Promise<ImportReadContext> {
    return { customFields: await this.store.customFields.listAll(actor.accountId), defaultRegion: options.default_region ?? this.options.defaultRegion };
  }
}
