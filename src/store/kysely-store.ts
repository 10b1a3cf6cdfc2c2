import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Store } from '../core/ports.ts';
import { KyselyCardRepository } from './card.repository.ts';
import { KyselyBatchJobRepository } from './batch-job.repository.ts';
import { KyselyChangeRepository } from './change.repository.ts';
import { KyselyContactRepository } from './contact.repository.ts';
import {
  KyselyAccountRepository,
  KyselyAddressBookRepository,
  KyselyApiKeyRepository,
  KyselyCustomFieldRepository,
  KyselyGroupRepository,
} from './directory.repositories.ts';
import { isDatabaseReachable, type EngineName } from './engine.ts';
import { GroupCommit } from './group-commit.ts';
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
  readonly cards;
  // The group's works each record their changes; one flush writes them all, last, before the one commit.
  private readonly groupCommit = new GroupCommit((run) =>
    this.db.transaction().execute(async (trx) => {
      const tx = new KyselyStore(trx, this.engine, true, this.statistics);
      await run(tx);
      await tx.changes.flush();
    }),
  );

  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: EngineName,
    private readonly inTransaction = false,
    /** Shared by a store and its transactions: PostgreSQL only. */
    private readonly statistics = engine === 'postgres' ? new PlannerStatistics(db) : undefined,
  ) {
    this.accounts = new KyselyAccountRepository(db);
    this.apiKeys = new KyselyApiKeyRepository(db);
    this.addressBooks = new KyselyAddressBookRepository(db);
    this.units = new KyselyUnitRepository(db);
    this.customFields = new KyselyCustomFieldRepository(db);
    this.contacts = new KyselyContactRepository(db, engine, (rows) => this.statistics?.noteWritten(rows));
    this.groups = new KyselyGroupRepository(db);
    this.batchJobs = new KyselyBatchJobRepository(db);
    this.changes = new KyselyChangeRepository(db, engine, inTransaction);
    this.tombstones = new KyselyTombstoneRepository(db);
    this.webhooks = new KyselyWebhookRepository(db, engine);
    this.cards = new KyselyCardRepository(db);
  }

  async transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    if (this.engine === 'sqlite') return this.groupCommit.run(work);
    // The journal's changes are written last, just before the commit (KyselyChangeRepository says why).
    return this.db.transaction().execute(async (trx) => {
      const tx = new KyselyStore(trx, this.engine, true, this.statistics);
      const result = await work(tx);
      await tx.changes.flush();
      return result;
    });
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

  isReachable(): Promise<boolean> {
    return isDatabaseReachable(this.db);
  }
}
