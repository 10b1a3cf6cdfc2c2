import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.ts';

const TABLES = ['contacts', 'contact_addresses', 'contact_terms', 'group_members'] as const;
/** Rows written through this node before its first refresh of PostgreSQL's planner statistics, */
const FIRST_REFRESH_AFTER = 1_000;
/** and at most between two later ones (the gap doubles up to it). */
const ROWS_BETWEEN_REFRESHES = 50_000;

/**
 * PostgreSQL plans lists and searches from table statistics, which autovacuum refreshes when it
 * runs; where it is off, or slow to come round after a large import, the planner keeps planning
 * for an empty table (a page of contacts took 400 ms instead of 0.1 ms at a million contacts).
 * So each node refreshes them itself as it writes, in the background.
 *
 * The first refreshes come early and the gap doubles (1,000, 2,000, 4,000 ... then every 50,000
 * rows): plans made while a table was empty are the costly ones. PostgreSQL caches the plan of each
 * foreign-key check per connection; made on a fresh database it scans `contacts` whole, so every
 * index row inserted read the whole table (an import on a new database slowed from 750 to 330
 * rows/s between 3,000 and 20,000 rows). A refresh invalidates those plans.
 */
export class PlannerStatistics {
  private written = 0;
  private nextRefreshAt = FIRST_REFRESH_AFTER;
  private refreshing = false;

  constructor(private readonly db: Kysely<Database>) {}

  noteWritten(rows: number): void {
    this.written += rows;
    if (this.written < this.nextRefreshAt || this.refreshing) return;
    this.written = 0;
    this.nextRefreshAt = Math.min(this.nextRefreshAt * 2, ROWS_BETWEEN_REFRESHES);
    this.refreshing = true;
    // After the writer's commit, on a connection of its own: ANALYZE blocks no reader or writer.
    setImmediate(() => {
      void this.refresh().finally(() => (this.refreshing = false));
    });
  }

  async refresh(): Promise<void> {
    try {
      await sql`analyze ${sql.join(TABLES.map((t) => sql.table(t)))}`.execute(this.db);
    } catch {
      // Statistics are an optimisation; a failed refresh is retried after the next rows.
    }
  }
}
