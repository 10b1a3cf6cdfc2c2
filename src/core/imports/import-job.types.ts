import type { Surface } from '../journal/change.types.ts';
import type { Scope } from '../types.ts';
import type { ImportFormat, ImportOptions, ImportPlan, RowError } from './import.types.ts';

/**
 * queued: accepted, no row written yet; running: chunks being written; completed: every row has
 * an outcome; failed: the job itself could not go on (its file unreadable, say); cancelled: stopped
 * on request between chunks, what was written stays. The last three are final.
 */
export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const UNFINISHED_IMPORT_STATUSES = ['queued', 'running'] as const satisfies readonly ImportStatus[];

/** What became of the rows so far. */
export interface ImportCounts {
  /** Rows with an outcome (every one below, failed included). */
  processed: number;
  created: number;
  /** Existing contacts changed by an upsert. */
  updated: number;
  /** Rows folded into an existing contact by the book's `merge` policy. */
  merged: number;
  /** Rows that changed nothing (an upsert of what is already there). */
  skipped: number;
  /** Rows refused: each has its errors. */
  failed: number;
}

/** An import job as stored: the file is beside it in chunks, its refused rows in `import_errors`. */
export interface ImportJob extends ImportCounts {
  seq: number;
  id: string;
  account_id: string;
  /** The key that submitted it and that key's scopes at the time (null: the CLI): the job writes as that caller. */
  key_id: string | null;
  scopes: Scope[];
  /** Writes are journalled under this surface (`import`). */
  surface: Surface;
  status: ImportStatus;
  options: ImportOptions;
  plan: ImportPlan;
  format: ImportFormat;
  content_type: string | null;
  file_name: string | null;
  byte_size: number;
  /** Records in the file, once counted (null before). */
  total: number | null;
  /** Records read so far, in file order: the resume point, moved with the chunk it counts. */
  rows_done: number;
  owner: string | null;
  heartbeat_at: string | null;
  cancel_requested: boolean;
  error: string | null;
  /** Whether the plan's new custom fields were defined (done once, before the first chunk). */
  defined_fields: boolean;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A refused row's problem as stored, with the row as the file held it. */
export interface ImportErrorRecord extends RowError {
  seq: number;
  raw: string[] | string | null;
}

/** What one chunk adds to its job, committed with the chunk's writes. */
export interface ImportChunkProgress extends ImportCounts {
  rowsDone: number;
  errors: (RowError & { raw: string[] | string | null })[];
  /** Set on the last chunk: the job completes. */
  finished: boolean;
  now: string;
}
