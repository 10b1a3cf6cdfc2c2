import type { DatabaseConnection, Dialect, Driver, Kysely, QueryResult, TransactionSettings } from 'kysely';
import { DomainError } from '../core/errors.ts';

/**
 * When the database is away (restarting, failing over, refusing connections), the core sees one
 * domain error, `service_unavailable`, that every API answers as 503 with Retry-After. The SQL
 * and socket errors that mean it are known here only: the core never sees an SQLSTATE.
 */
export function unavailableError(cause: unknown): DomainError {
  const error = new DomainError('service_unavailable', 'the database is unavailable; try again shortly');
  return Object.assign(error, { cause });
}

/** Socket errors of a connection that could not be made, or was lost. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * PostgreSQL: class 08 (connection exceptions), 57P01-57P03 (admin or crash shutdown, cannot
 * connect now: starting up or shutting down), 53300 (too many connections). SQLite: BUSY after
 * busy_timeout, which only another process holding the write lock that long can cause (a
 * `contactd migrate`, a backup); retrying later is the right advice there too.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DomainError) return false;
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (SOCKET_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300') return true;
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  // node-postgres raises these as plain Errors without a code.
  return /^Connection terminated|timeout exceeded when trying to connect|is not queryable/.test(message);
}

function translated(error: unknown): unknown {
  return isDatabaseUnavailable(error) ? unavailableError(error) : error;
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translated(error);
  }
}

/**
 * A Kysely dialect whose every query, connection and transaction step turns "database
 * unavailable" errors into `service_unavailable`: repositories, migrations and transactions all
 * go through it, so none needs to know. Other errors (unique violations, deadlocks) pass as they are.
 */
export class UnavailableAwareDialect implements Dialect {
  constructor(private readonly inner: Dialect) {}
  createAdapter() {
    return this.inner.createAdapter();
  }
  createDriver(): Driver {
    return new UnavailableAwareDriver(this.inner.createDriver());
  }
  createQueryCompiler() {
    return this.inner.createQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return this.inner.createIntrospector(db);
  }
}

class GuardedConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}
  executeQuery<R>(query: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> {
    return this.inner.executeQuery<R>(query).catch((error: unknown) => {
      throw translated(error);
    });
  }
  async *streamQuery<R>(query: Parameters<DatabaseConnection['streamQuery']>[0], chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (error) {
      throw translated(error);
    }
  }
}

type Compile = Parameters<NonNullable<Driver['savepoint']>>[2];

class UnavailableAwareDriver implements Driver {
  /** One guard per underlying connection (the pool reuses them), so none is allocated per query. */
  private readonly guarded = new WeakMap<DatabaseConnection, GuardedConnection>();

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return guard(() => this.inner.init());
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await guard(() => this.inner.acquireConnection());
    let wrapper = this.guarded.get(connection);
    if (!wrapper) this.guarded.set(connection, (wrapper = new GuardedConnection(connection)));
    return wrapper;
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return guard(() => this.inner.beginTransaction(innerOf(connection), settings));
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return guard(() => this.inner.commitTransaction(innerOf(connection)));
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return guard(() => this.inner.rollbackTransaction(innerOf(connection)));
  }
  savepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    return guard(() => savepointStep(this.inner.savepoint?.bind(this.inner))(innerOf(connection), name, compile));
  }
  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    return guard(() => savepointStep(this.inner.rollbackToSavepoint?.bind(this.inner))(innerOf(connection), name, compile));
  }
  releaseSavepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    return guard(() => savepointStep(this.inner.releaseSavepoint?.bind(this.inner))(innerOf(connection), name, compile));
  }
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(innerOf(connection));
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** Kysely's own savepoint API, where the inner driver has it (contactd itself runs savepoints as SQL). */
function savepointStep(step: Driver['savepoint']): NonNullable<Driver['savepoint']> {
  if (!step) throw new Error('this driver does not support savepoints');
  return step;
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof GuardedConnection ? connection.inner : connection;
}
