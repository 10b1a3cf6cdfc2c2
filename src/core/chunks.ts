import { isUnavailable, type DomainError } from './errors.ts';

/**
 * Runs a bulk write chunk by chunk, each chunk in a transaction of its own (`run(start, end)`).
 * When the database goes away after a chunk committed, failing the whole request would hide what
 * was written; so the items from the failed chunk on (undone whole with it) are each reported as
 * `service_unavailable`, and the caller learns exactly which were done. Before any commit, the
 * request fails whole (503), as a single write does.
 */
export async function writeInChunks<O>(outcomes: (O | { error: DomainError })[], size: number, run: (start: number, end: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < outcomes.length; start += size) {
    try {
      await run(start, Math.min(start + size, outcomes.length));
    } catch (error) {
      if (start === 0 || !isUnavailable(error)) throw error;
      outcomes.fill({ error }, start);
      return;
    }
  }
}
