import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../src/runtime.ts';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import type { DatabaseHandle, EngineName } from '../../src/store/engine.ts';

/**
 * The engines every store and API suite runs on: SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set (CI always sets it). Each opened database is private to its caller:
 * a fresh SQLite file, or a fresh PostgreSQL schema, so test files can run in parallel.
 */
export interface TestEngine {
  name: EngineName;
  open(): Promise<OpenedDatabase>;
}

export interface OpenedDatabase {
  store: KyselyStore;
  handle: DatabaseHandle;
  databaseUrl: string;
  /** Extra connection option a second process needs to see the same data (PostgreSQL schema). */
  searchPath?: string;
  close(): Promise<void>;
}

export const engines: TestEngine[] = [sqliteEngine(), ...(process.env.TEST_DATABASE_URL ? [postgresEngine(process.env.TEST_DATABASE_URL)] : [])];

function sqliteEngine(): TestEngine {
  return {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'contactd-test-'));
      const databaseUrl = `sqlite:${join(dir, 'contactd.db')}`;
      const { store, handle } = await openStore({ databaseUrl }, { cacheKeys: true });
      return {
        store,
        handle,
        databaseUrl,
        async close() {
          await handle.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

function postgresEngine(url: string): TestEngine {
  return {
    name: 'postgres',
    async open() {
      const { schema, drop } = await createPrivateSchema(url);
      const { store, handle } = await openStore({ databaseUrl: url }, { searchPath: schema, cacheKeys: true });
      return {
        store,
        handle,
        databaseUrl: url,
        searchPath: schema,
        async close() {
          await handle.close();
          await drop();
        },
      };
    },
  };
}

/** A fresh, empty PostgreSQL schema of this test's own, and how to drop it with everything in it. */
export async function createPrivateSchema(url: string, prefix = 't'): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create schema ${schema}`);
  return { schema, drop: () => run(`drop schema ${schema} cascade`) };
}
