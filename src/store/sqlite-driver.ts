import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult } from 'kysely';

/**
 * Kysely's SQLite dialect, with two changes that matter under load:
 * - the one connection is handed out in FIFO order (Kysely's own mutex wakes every waiter on
 *   each release, which costs more than the query once dozens of requests wait);
 * - statements are prepared once and kept by SQL text (preparing costs as much as a lookup).
 * better-sqlite3 runs each statement to completion synchronously, so a cached statement is
 * never in use twice at once.
 */
export class FastSqliteDialect implements Dialect {
  constructor(private readonly database: SqliteDatabase.Database) {}
  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new FifoSqliteDriver(new CachedStatementConnection(this.database));
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}

class FifoSqliteDriver implements Driver {
  private busy = false;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly connection: CachedStatementConnection) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.busy = true;
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    const next = this.waiting.shift();
    if (next) next(); // ownership passes straight to the next waiter
    else this.busy = false;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // IMMEDIATE: the write lock is taken (or waited for, busy_timeout) at the start. A deferred
    // transaction that read first could not wait for another process's write (the CLI's import
    // beside a server) and failed at once with SQLITE_BUSY.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async destroy(): Promise<void> {
    this.connection.close();
  }
}

class CachedStatementConnection implements DatabaseConnection {
  private readonly statements = new Map<string, SqliteDatabase.Statement>();

  constructor(
    private readonly database: SqliteDatabase.Database,
    private readonly capacity = 500,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite');
  }

  close(): void {
    this.database.close();
  }

  private prepare(sqlText: string): SqliteDatabase.Statement {
    let statement = this.statements.get(sqlText);
    if (statement) {
      this.statements.delete(sqlText); // re-inserted below: the Map's order is the LRU order
    } else {
      statement = this.database.prepare(sqlText);
      if (this.statements.size >= this.capacity) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sqlText, statement);
    return statement;
  }
}
