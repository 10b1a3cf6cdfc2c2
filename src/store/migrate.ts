import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DatabaseHandle } from './engine.ts';
import * as initial from './migrations/001-initial.ts';
import * as analyzeOften from './migrations/002-analyze-often.ts';
import * as units from './migrations/003-units.ts';
import * as batchJobs from './migrations/004-batch-jobs.ts';
import * as rebuildSearchTerms from './migrations/005-rebuild-search-terms.ts';
import * as batchJobProgress from './migrations/006-batch-job-progress.ts';
import * as changeJournal from './migrations/007-change-journal.ts';
import * as webhooks from './migrations/008-webhooks.ts';
import * as contactCards from './migrations/010-contact-cards.ts';

/** Migrations are listed here in order; each receives the engine for the rare column it must spell twice. */
export const MIGRATIONS: Record<string, { up(db: Kysely<any>, engine: DatabaseHandle['engine']): Promise<void> }> = {
  '001-initial': initial,
  '002-analyze-often': analyzeOften,
  '003-units': units,
  '004-batch-jobs': batchJobs,
  '005-rebuild-search-terms': rebuildSearchTerms,
  '006-batch-job-progress': batchJobProgress,
  '007-change-journal': changeJournal,
  '008-webhooks': webhooks,
  '010-contact-cards': contactCards,
};

class ListedMigrations implements MigrationProvider {
  constructor(private readonly engine: DatabaseHandle['engine']) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<any>) => m.up(db, this.engine) }]),
    );
  }
}

/** Brings the schema up to date; safe to run from several nodes at once (Kysely takes a lock). */
export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in any schema unless told which: name ours.
  const schema = handle.engine === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db: handle.db, provider: new ListedMigrations(handle.engine), ...(schema ? { migrationTableSchema: schema } : {}) });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    // Kysely first looks for its own tables by listing the tables of every schema; a schema
    // dropped at that moment by someone else (tests drop theirs) fails that listing. Nothing was
    // migrated yet, so it is safe to look again.
    if (attempt < 3 && isConcurrentlyDropped(error)) continue;
    throw error instanceof Error ? error : new Error(String(error));
  }
}

/** PostgreSQL's undefined table or column: a catalog read that raced a DROP elsewhere. */
function isConcurrentlyDropped(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === '42P01' || code === '42703';
}
