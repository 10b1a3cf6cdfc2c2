import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Store, StoreSnapshot } from '../core/ports.ts';
import { KyselyCardRepository } from './card.repository.ts';
import { unsnapshottedReads, type SnapshotOpener } from './snapshot.ts';
import { KyselyBatchJobRepository } from './batch-job.repository.ts';
import { KyselyChangeRepository } from './change.repository.ts';
import { KyselyContactRepository } from './contact.repository.ts';
import { KyselyDuplicateRepository } from './duplicate.repository.ts';
import { KyselyImportJobRepository } from './import.repository.ts';
import {
  KyselyAccountRepository,
  KyselyAddressBookRepository,
  KyselyApiKeyRepository,
  KyselyCustomFieldRepository,
  KyselyGroupRepository,
} from './directory.repositories.ts';
import { isDatabaseReachable, type EngineName } from './engine.ts';
import { GroupCommit } from './group-commit.ts';
import type { KeyCache } from './key-cache.ts';
import { PlannerStatistics } from './statistics.ts';
import { KyselyTombstoneRepository } from './tombstone.repository.ts';
import { KyselyUnitRepository } from './unit.repository.ts';
import { KyselyWebhookRepository } from './webhook.repository.ts';
import type { Database } from './tables.ts';

const SAVEPOINT = CompiledQuery.raw('savepoint item');
const RELEASE = CompiledQuery.raw('release savepoint item');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint item');

/** The core's Store over Kysely, on either engine; inside `transaction` every repository uses the transaction. */
export class KyselyStore implements Store {
  readonly accounts;
  readonly apiKeys;
  readonly addressBooks;
  readonly units;
  readonly customFields;
  readonly contacts;
  readonly groups;
  readonly batchJobs;
  readonly changes;
  readonly tombstones;
  readonly webhooks;
  readonly duplicates;
  readonly cards;
  readonly imports;
  // The group's works each record their changes; one flush writes them all, last, before the one commit.
  private readonly groupCommit = new GroupCommit(async (run) => {
    let tx: KyselyStore | undefined;
    try {
      await this.db.transaction().execute(async (trx) => {
        tx = this.within(trx);
        await run(tx);
        await tx.changes.flush();
      });
    } finally {
      if (tx?.apiKeys.revokedAny) this.keyCache?.signal.revoked();
    }
  });
  private readonly inTransaction: boolean;
  /** Shared by a store and its transactions: PostgreSQL only. */
  private readonly statistics: PlannerStatistics | undefined;
  /** Shared by a store and its transactions. */
  private readonly keyCache: KeyCache | undefined;
  /** How snapshots are opened (the engine's way, from its DatabaseHandle); without it, reads go through `db`. */
  private readonly snapshots: SnapshotOpener;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: EngineName,
    options: { keyCache?: KeyCache | undefined; inTransaction?: boolean; statistics?: PlannerStatistics | undefined; snapshots?: SnapshotOpener } = {},
  ) {
    this.inTransaction = options.inTransaction ?? false;
    this.statistics = options.inTransaction ? options.statistics : engine === 'postgres' ? new PlannerStatistics(db) : undefined;
    this.keyCache = options.keyCache;
    this.snapshots = options.snapshots ?? unsnapshottedReads(db);
    this.accounts = new KyselyAccountRepository(db);
    this.apiKeys = new KyselyApiKeyRepository(db, engine, this.inTransaction ? undefined : this.keyCache, this.keyCache?.signal);
    this.addressBooks = new KyselyAddressBookRepository(db);
    this.units = new KyselyUnitRepository(db);
    this.customFields = new KyselyCustomFieldRepository(db);
    this.contacts = new KyselyContactRepository(db, engine, (rows) => this.statistics?.noteWritten(rows));
    this.groups = new KyselyGroupRepository(db);
    this.batchJobs = new KyselyBatchJobRepository(db);
    this.changes = new KyselyChangeRepository(db, engine, this.inTransaction);
    this.tombstones = new KyselyTombstoneRepository(db);
    this.webhooks = new KyselyWebhookRepository(db, engine);
    this.duplicates = new KyselyDuplicateRepository(db);
    this.cards = new KyselyCardRepository(db);
    this.imports = new KyselyImportJobRepository(db, engine);
  }

  async transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    if (this.engine === 'sqlite') return this.groupCommit.run(work);
    // The journal's changes are written last, just before the commit (KyselyChangeRepository says why).
    let tx: KyselyStore | undefined;
    try {
      return await this.db.transaction().execute(async (trx) => {
        tx = this.within(trx);
        const result = await work(tx);
        await tx.changes.flush();
        return result;
      });
    } finally {
      // Once more after the commit: a key read and cached between the revoke and its commit is dropped.
      if (tx?.apiKeys.revokedAny) this.keyCache?.signal.revoked();
    }
  }

  private within(trx: Kysely<Database>): KyselyStore {
    return new KyselyStore(trx, this.engine, { inTransaction: true, statistics: this.statistics, keyCache: this.keyCache });
  }

  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    if (!this.inTransaction) throw new Error('savepoint() needs a transaction');
    // Nested savepoints may share a name (each release or rollback takes the innermost); the SQL
    // is fixed, so it is not compiled again for every item.
    await this.db.executeQuery(SAVEPOINT);
    const recorded = this.changes.mark();
    try {
      const result = await work();
      await this.db.executeQuery(RELEASE);
      return result;
    } catch (error) {
      this.changes.dropAfter(recorded);
      await this.db.executeQuery(ROLLBACK_TO);
      await this.db.executeQuery(RELEASE);
      throw error;
    }
  }

  async lock(key: string): Promise<void> {
    if (!this.inTransaction) throw new Error('lock() outside a transaction would be released at once');
    // SQLite runs one write transaction at a time on our single connection: already serialized.
    if (this.engine === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(this.db);
  }

  /** Brings the engine's planner statistics up to date (PostgreSQL; nothing to do on SQLite). */
  async refreshPlannerStatistics(): Promise<void> {
    await this.statistics?.refresh();
  }

  /** Snapshots opened and not closed yet: an export that ended, or whose client went away, leaves none. */
  get openSnapshots(): number {
    return this.snapshotCount;
  }
  private snapshotCount = 0;

  async openSnapshot(): Promise<StoreSnapshot> {
    const connection = await this.snapshots();
    this.snapshotCount += 1;
    let closed = false;
    return {
      reads: new KyselyStore(connection.db, this.engine, { inTransaction: true, statistics: this.statistics }),
      close: async () => {
        if (closed) return;
        closed = true;
        this.snapshotCount -= 1;
        await connection.end();
      },
    };
  }

  isReachable(): Promise<boolean> {
    return isDatabaseReachable(this.db);
  }
}
