import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { postgresSnapshots, sqliteSnapshots, unsnapshottedReads, type SnapshotOpener } from './snapshot.ts';
import { FastSqliteDialect } from './sqlite-driver.ts';
import type { Database } from './tables.ts';
import { UnavailableAwareDialect } from './unavailable.ts';

export type EngineName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly engine: EngineName;
  /** Opens a read-only transaction over one consistent view, beside the writers (store/snapshot.ts). */
  readonly openSnapshot: SnapshotOpener;
  close(): Promise<void>;
}

/**
 * Opens the database named by a DATABASE_URL. This is the one switch between engines:
 * everything above it speaks Kysely.
 */
export function openDatabase(url: string, options: { searchPath?: string } = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    const db = openSqlite(path);
    const openSnapshot = path === ':memory:' ? unsnapshottedReads(db) : sqliteSnapshots(path);
    return { db, engine: 'sqlite', openSnapshot, close: () => db.destroy() };
  }
  const db = openPostgres(url, options.searchPath);
  return { db, engine: 'postgres', openSnapshot: postgresSnapshots(db), close: () => db.destroy() };
}

function openSqlite(path: string): Kysely<Database> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  applySqlitePragmas(database);
  return new Kysely<Database>({ dialect: new UnavailableAwareDialect(new FastSqliteDialect(database)) });
}

/** The SQLite settings contactd runs with (the benchmark's raw ceiling uses them too). */
export function applySqlitePragmas(database: SqliteDatabase.Database): void {
  // WAL lets readers work beside the writer; NORMAL sync keeps every commit across a
  // process kill (the OS holds the log), paying an fsync only at checkpoints.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('cache_size = -65536');
  database.pragma('temp_store = MEMORY');
  // Checkpoint every ~40 MB of log rather than every 4 MB: hot index pages are copied back once
  // per checkpoint, so fewer checkpoints mean less writing per contact.
  database.pragma('wal_autocheckpoint = 10000');
}

function openPostgres(url: string, searchPath?: string): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    Client: QuickConnectClient,
    // Waiting for a free connection is normal under load (requests queue behind lock holders:
    // 10 s was seen on a busy machine), so the wait is long; a queue that does not move at all for
    // 30 s means the connections are stuck on a database that vanished, and the request gets a 503.
    connectionTimeoutMillis: 30_000,
    // Keep-alive probes find a connection whose server vanished without closing it. No query or
    // statement timeout: a restart closes or refuses connections (which fails at once), and a
    // timeout would also cut legitimate long statements (large batches, ANALYZE).
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // bigint (int8) comes back as a string by default; our integer keys fit a JS number.
    types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) },
    ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
  });
  // A connection the server closes (shutdown, restart) emits 'error'; with no listener Node would
  // end the process. An idle one is dropped by the pool, one in use fails its next query (then
  // answered as 503, see unavailable.ts) and is dropped on release; so both listeners only absorb.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new UnavailableAwareDialect(new PostgresDialect({ pool })) });
}

/**
 * While the database is away (restart, failover), a request must fail fast (503) rather than wait:
 * a new connection not made within 1 s is given up (a stopped server refuses at once; this bounds
 * an address that does not answer at all). The pool passes its own, longer, wait to each client.
 */
class QuickConnectClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super({ ...config, connectionTimeoutMillis: 1000 });
  }
}

const READINESS_TIMEOUT_MS = 1500;

/**
 * True when the database answers a trivial query within 1.5 s. Readiness must answer quickly
 * even when every pooled connection is stuck (a server that vanished without closing them).
 */
export async function isDatabaseReachable(db: Kysely<Database>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, READINESS_TIMEOUT_MS, false)));
  const answered = sql`select 1`.execute(db).then(() => true, () => false);
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether a number can be a row's sequence id. PostgreSQL refuses a bigint past 2^63 or
 * `Infinity` (an error) where SQLite simply finds nothing; no sequence reaches 2^53, so a look-up
 * by anything else finds nothing on both engines without asking either.
 */
export function isPossibleSeq(seq: number): boolean {
  return Number.isSafeInteger(seq) && seq > 0;
}
