import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.ts';

const TABLES = ['contacts', 'contact_addresses', 'contact_terms', 'group_members'] as const;
/** Rows written through this node between two refreshes of PostgreSQL's planner statistics. */
const ROWS_BETWEEN_REFRESHES = 50_000;

/**
 * PostgreSQL plans lists and searches from table statistics, which autovacuum refreshes when it
 * runs; where it is off, or slow to come round after a large import, the planner keeps planning
 * for an empty table (a page of contacts took 400 ms instead of 0.1 ms at a million contacts).
 * So each node refreshes them itself after every 50,000 contacts it writes, in the background.
 */
export class PlannerStatistics {
  private written = 0;
  private refreshing = false;

  constructor(private readonly db: Kysely<Database>) {}

  noteWritten(rows: number): void {
    this.written += rows;
    if (this.written < ROWS_BETWEEN_REFRESHES || this.refreshing) return;
    this.written = 0;
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
