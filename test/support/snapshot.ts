import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { OpenedDatabase } from './engines.ts';

/** Every row of every table of this test database, to prove that a refused request changed nothing. */
export async function snapshot(db: OpenedDatabase): Promise<Record<string, string[]>> {
  const kysely = db.handle.db as unknown as Kysely<any>;
  // This database's own tables only: other test files create and drop schemas meanwhile.
  const listing =
    db.handle.engine === 'postgres'
      ? sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`
      : sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`;
  const tables = (await listing.execute(kysely)).rows.map((r) => r.name);
  assert.ok(tables.length >= 5, `snapshot sees only ${tables.length} tables`);
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = await kysely.selectFrom(table).selectAll().execute();
    result[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return result;
}
