import { sql, type Kysely } from 'kysely';
import type { EngineName } from '../engine.ts';

/**
 * PostgreSQL plans lists and searches from table statistics; by default it refreshes them after
 * 10 % of a table changes, so right after a large import it still plans for the empty table
 * (a page of contacts took 400 ms instead of 0.1 ms). Refresh after 2 % instead.
 * SQLite keeps no such statistics by default and needs nothing here.
 */
export async function up(db: Kysely<any>, engine: EngineName): Promise<void> {
  if (engine !== 'postgres') return;
  for (const table of ['contacts', 'contact_addresses', 'contact_terms', 'group_members']) {
    await sql`alter table ${sql.table(table)} set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000)`.execute(db);
  }
}
