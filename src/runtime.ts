import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './store/engine.ts';
import { KyselyStore } from './store/kysely-store.ts';
import { migrateToLatest } from './store/migrate.ts';

/** Opens the configured database, brings its schema up to date and wraps it as the core's Store. */
export async function openStore(config: Pick<Config, 'databaseUrl'>, options: { searchPath?: string } = {}): Promise<{ store: KyselyStore; handle: DatabaseHandle }> {
  const handle = openDatabase(config.databaseUrl, options);
  await migrateToLatest(handle);
  const store = new KyselyStore(handle.db, handle.engine, false, undefined, handle.openSnapshot);
  // A restart after a large import must not plan for the tables as they were before it.
  await store.refreshPlannerStatistics();
  return { store, handle };
}
