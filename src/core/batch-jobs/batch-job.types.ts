import type { Surface } from '../journal/change.types.ts';
import type { Scope } from '../types.ts';

/** The work a batch job can do: each kind is a list of items done one by one (batch-job-work.ts). */
export const BATCH_KINDS = ['create_contacts', 'delete_contacts', 'copy_group_members', 'move_group_members', 'delete_groups'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

/**
 * queued: accepted, not started; in_progress: items being done; completed: every item has a
 * result; failed: the job itself could not run; stopped: stopped on request (`stopJob`);
 * timeout: no item was done within the configured time. The last four are final.
 */
export const BATCH_STATUSES = ['queued', 'in_progress', 'completed', 'failed', 'stopped', 'timeout'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
/** The statuses of a job that may still do work: the only ones a claim, progress, a stop or a timeout changes. */
export const UNFINISHED_STATUSES = ['queued', 'in_progress'] as const satisfies readonly BatchStatus[];

/** An asynchronous job of an account. Counters say how many items have a result of each kind. */
export interface BatchJob {
  seq: number;
  id: string;
  account_id: string;
  /** The key that submitted it and that key's scopes at the time: the job acts as that caller. */
  key_id: string;
  scopes: Scope[];
  /** The surface it was accepted through: its writes are journalled under it. */
  surface: Surface;
  kind: BatchKind;
  status: BatchStatus;
  /** The job's work, fixed when it was accepted: `{ items: [...], ...options }`. */
  payload: BatchPayload;
  total: number;
  processed: number;
  succeeded: number;
  merged: number;
  failed: number;
  /** The node running it, and when that node last showed it was alive. */
  owner: string | null;
  heartbeat_at: string | null;
  /** When an item last got a result (at first, when the job was accepted): takeovers leave it alone. */
  progressed_at: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface BatchPayload {
  items: unknown[];
  [option: string]: unknown;
}

/** What became of one item: `ref` / `ref_seq` name the contact or group it made or touched. */
export interface BatchItemResult {
  index: number;
  status: 'succeeded' | 'merged' | 'failed';
  ref: string | null;
  ref_seq: number | null;
  code: string | null;
  message: string | null;
}

/** The counters and results a chunk of work adds to its job. */
export interface BatchProgress {
  processed: number;
  succeeded: number;
  merged: number;
  failed: number;
  results: BatchItemResult[];
  status: BatchStatus;
  finished_at: string | null;
}
