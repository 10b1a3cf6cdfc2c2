import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { FastSqliteDialect } from './sqlite-driver.ts';
import type { Database } from './tables.ts';
import { UnavailableAwareDialect } from './unavailable.ts';

/** A read-only transaction over one consistent view of the database, and how to end it. */
export interface SnapshotConnection {
  db: Kysely<Database>;
  end(): Promise<void>;
}

export type SnapshotOpener = () => Promise<SnapshotConnection>;

/**
 * SQLite: a read transaction on a connection of its own, opened read-only. In WAL mode a reader
 * sees the database as of its transaction's first read and never blocks the writer (nor does the
 * writer block it), so an export of any length leaves the API's single write connection free.
 */
export function sqliteSnapshots(path: string): SnapshotOpener {
  return async () => {
    const database = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
    database.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new UnavailableAwareDialect(new FastSqliteDialect(database)) });
    try {
      await sql`begin`.execute(db);
      // A deferred transaction takes its snapshot at its first read: take it now, not at the first page.
      await sql`select count(*) from accounts`.execute(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return { db, end: once(async () => {
      try {
        await sql`rollback`.execute(db);
      } finally {
        await db.destroy();
      }
    }) };
  };
}

/**
 * PostgreSQL: a REPEATABLE READ, READ ONLY transaction on one pooled connection. Its snapshot is
 * taken at its first statement (taken here), and readers never wait for writers under MVCC.
 */
export function postgresSnapshots(db: Kysely<Database>): SnapshotOpener {
  return async () => {
    const trx = await db.startTransaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute();
    try {
      await sql`select 1`.execute(trx);
    } catch (error) {
      await trx.rollback().execute().catch(() => {});
      throw error;
    }
    return { db: trx, end: once(async () => void (await trx.rollback().execute())) };
  };
}

/**
 * An in-memory SQLite database has no second connection to read from: pages are read on the
 * one connection, each consistent on its own (a memory database is for trials, not exports).
 */
export function unsnapshottedReads(db: Kysely<Database>): SnapshotOpener {
  return async () => ({ db, end: async () => {} });
}

function once(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= work());
}
