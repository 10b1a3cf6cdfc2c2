import type SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { ApiKey } from '../core/types.ts';

/**
 * Authenticated API keys, kept in process so that a request does not read its key from the
 * database. Revocation stays immediate: every cached key is dropped whenever a key may have been
 * revoked anywhere, which `RevocationSignal` tells. Revocations are rare, so dropping them all is
 * simpler and no slower than tracking one.
 */
export class KeyCache {
  private readonly keys = new Map<string, ApiKey>();
  private stampSeen: number | null = null;

  constructor(
    readonly signal: RevocationSignal,
    private readonly capacity = 10_000,
  ) {}

  /** The key with this secret hash, from the cache or else from `read` (then kept if still current). */
  async find(secretHash: string, read: () => Promise<ApiKey | undefined>): Promise<ApiKey | undefined> {
    const stamp = this.signal.stamp();
    if (stamp === null) return read();
    if (stamp !== this.stampSeen) {
      this.keys.clear();
      this.stampSeen = stamp;
    }
    const cached = this.keys.get(secretHash);
    if (cached) return cached;
    const key = await read();
    // A revocation that landed while the key was read may not be in what was read: keep only a
    // key read entirely under the same stamp.
    if (key && key.revoked_at === null && this.signal.stamp() === stamp) {
      if (this.keys.size >= this.capacity) this.keys.delete(this.keys.keys().next().value!);
      this.keys.set(secretHash, key);
    }
    return key;
  }
}

/** Tells when a key may have been revoked. */
export interface RevocationSignal {
  /** A number that changes whenever a key may have been revoked; null while that cannot be known (nothing is cached then). */
  stamp(): number | null;
  /** This process revoked a key (called when the revoke is written and again once it is committed). */
  revoked(): void;
  close(): Promise<void>;
}

/**
 * SQLite: this process's own revocations, and any commit by another connection (a `contactd key
 * revoke` in another process), which `PRAGMA data_version` shows at the cost of no table read.
 */
export class SqliteRevocationSignal implements RevocationSignal {
  private readonly dataVersion;
  private lastDataVersion = -1;
  private generation = 0;

  constructor(database: SqliteDatabase.Database) {
    this.dataVersion = database.prepare('PRAGMA data_version').pluck();
  }
  stamp(): number {
    const version = this.dataVersion.get() as number;
    if (version !== this.lastDataVersion) {
      this.lastDataVersion = version;
      this.generation++;
    }
    return this.generation;
  }
  revoked(): void {
    this.generation++;
  }
  async close(): Promise<void> {}
}

/** The channel every node listens on; a revoke notifies it in its own transaction, so at commit. */
export const REVOCATION_CHANNEL = 'contactd_api_keys';
/** How the listening connection shows in pg_stat_activity. */
export const LISTENER_NAME = 'contactd key revocations';
const RECONNECT_MS = 1000;
const HEARTBEAT_MS = 5000;

/**
 * PostgreSQL: many nodes share the keys. Each node LISTENs on one connection of its own; a
 * notification, a lost connection or a new one each change the stamp, and while the node is not
 * listening nothing is cached (every request reads its key, as without a cache).
 */
export class PostgresRevocationSignal implements RevocationSignal {
  private generation = 0;
  private listener: pg.Client | null = null;
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly connectionString: string) {
    void this.listen();
    // A connection cut without a word (no FIN) is found by a query that fails.
    this.heartbeat = setInterval(() => void this.listener?.query('select 1').catch(() => {}), HEARTBEAT_MS).unref();
  }

  stamp(): number | null {
    return this.listener === null ? null : this.generation;
  }
  revoked(): void {
    this.generation++;
  }
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true, connectionTimeoutMillis: 5000, application_name: LISTENER_NAME });
    let gone = false;
    const lost = () => {
      if (gone) return;
      gone = true;
      this.lost(client);
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', () => this.generation++);
    try {
      await client.connect();
      await client.query(`listen ${REVOCATION_CHANNEL}`);
    } catch {
      lost();
      return;
    }
    if (this.closed) return void client.end().catch(() => {});
    this.generation++;
    this.listener = client;
  }

  private lost(client: pg.Client): void {
    // Notifications sent while no one listened are gone: whatever was cached may be stale.
    if (this.listener === client) this.listener = null;
    this.generation++;
    client.removeAllListeners('end');
    client.removeAllListeners('error');
    client.on('error', () => {});
    void client.end().catch(() => {});
    if (!this.closed && this.listener === null) setTimeout(() => void this.listen(), RECONNECT_MS).unref();
  }
}
