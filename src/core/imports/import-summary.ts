import type { ImportJob } from './import-job.types.ts';

/** A job as callers see it (GET /v1/imports/{id}, the CLI's summary, the `import.completed` event). */
export interface ImportJobView {
  id: string;
  account_id: string;
  status: ImportJob['status'];
  format: ImportJob['format'];
  file_name: string | null;
  byte_size: number;
  options: ImportJob['options'];
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  merged: number;
  skipped: number;
  failed: number;
  /** processed / total, from 0 to 1 (0 until the total is known; 1 once completed). */
  progress: number;
  rows_per_second: number | null;
  eta_seconds: number | null;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The caller's view of a job; rates are measured from its start to its last chunk (or now, while it runs). */
export function summaryOf(job: ImportJob, now: Date = new Date()): ImportJobView {
  const end = job.finished_at ? Date.parse(job.finished_at) : job.status === 'running' ? now.getTime() : null;
  const seconds = job.started_at && end !== null ? Math.max((end - Date.parse(job.started_at)) / 1000, 0.001) : null;
  const rate = seconds === null || job.processed === 0 ? null : Math.round((job.processed / seconds) * 10) / 10;
  const total = job.total;
  const progress = job.status === 'completed' ? 1 : total === null || total === 0 ? 0 : Math.min(job.processed / total, 1);
  const eta = job.status === 'completed' ? 0
    : job.status !== 'running' || total === null || rate === null || rate === 0 ? null : Math.ceil(Math.max(total - job.processed, 0) / rate);
  return {
    id: job.id,
    account_id: job.account_id,
    status: job.status,
    format: job.format,
    file_name: job.file_name,
    byte_size: job.byte_size,
    options: job.options,
    total,
    processed: job.processed,
    created: job.created,
    updated: job.updated,
    merged: job.merged,
    skipped: job.skipped,
    failed: job.failed,
    progress: Math.round(progress * 10000) / 10000,
    rows_per_second: rate,
    eta_seconds: eta,
    error: job.error,
    started_at: job.started_at,
    finished_at: job.finished_at,
    created_at: job.created_at,
    updated_at: job.updated_at,
  };
}
