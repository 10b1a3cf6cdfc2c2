import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Store } from '../core/ports.ts';
import { KyselyContactRepository } from './contact.repository.ts';
import {
  KyselyAccountRepository,
  KyselyAddressBookRepository,
  KyselyApiKeyRepository,
  KyselyCustomFieldRepository,
  KyselyGroupRepository,
} from './directory.repositories.ts';
import { isDatabaseReachable, type EngineName } from './engine.ts';
import { PlannerStatistics } from './statistics.ts';
import type { Database } from './tables.ts';

const SAVEPOINT = CompiledQuery.raw('savepoint item');
const RELEASE = CompiledQuery.raw('release savepoint item');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint item');

type Work = (tx: Store) => Promise<unknown>;

/**
 * SQLite runs one write transaction at a time, and its commit (writing the log) costs more than
 * a typical write. So transactions that queue up while one runs are run together, one after the
 * other in one transaction, each in its own savepoint: a work that fails undoes only its own
 * writes, and every caller is answered after the shared commit, so nothing is acknowledged
 * before it is durable. The effect is that of running them one by one, with one commit.
 */
class GroupCommit {
  private readonly queue: { work: Work; resolve: (value: any) => void; reject: (error: unknown) => void }[] = [];
  private draining = false;

  constructor(private readonly begin: (run: (tx: Store, trx: Kysely<Database>) => Promise<void>) => Promise<void>) {}

  run<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      // Wait one turn of the event loop, so that requests already arrived can join this commit.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, MAX_GROUP);
      const answers: (() => void)[] = [];
      try {
        await this.begin(async (tx, trx) => {
          for (const { work, resolve, reject } of group) {
            await trx.executeQuery(SAVEPOINT_WORK);
            try {
              const value = await work(tx);
              await trx.executeQuery(RELEASE_WORK);
              answers.push(() => resolve(value));
            } catch (error) {
              await trx.executeQuery(ROLLBACK_TO_WORK);
              await trx.executeQuery(RELEASE_WORK);
              answers.push(() => reject(error));
            }
          }
        });
        for (const answer of answers) answer();
      } catch (error) {
        for (const { reject } of group) reject(error);
      }
    }
    this.draining = false;
  }
}

/** Enough to spread a commit thin; small enough that a lookup never waits long behind a group. */
const MAX_GROUP = 32;
const SAVEPOINT_WORK = CompiledQuery.raw('savepoint work');
const RELEASE_WORK = CompiledQuery.raw('release savepoint work');
const ROLLBACK_TO_WORK = CompiledQuery.raw('rollback to savepoint work');

/** The core's Store over Kysely, on either engine; inside `transaction` every repository uses the transaction. */
export class KyselyStore implements Store {
  readonly accounts;
  readonly apiKeys;
  readonly addressBooks;
  readonly customFields;
  readonly contacts;
  readonly groups;
  private readonly groupCommit = new GroupCommit((run) => this.db.transaction().execute((trx) => run(new KyselyStore(trx, this.engine, true, this.statistics), trx)));

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
    this.customFields = new KyselyCustomFieldRepository(db);
    this.contacts = new KyselyContactRepository(db, engine, (rows) => this.statistics?.noteWritten(rows));
    this.groups = new KyselyGroupRepository(db);
  }

  async transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    if (this.engine === 'sqlite') return this.groupCommit.run(work);
    return this.db.transaction().execute((trx) => work(new KyselyStore(trx, this.engine, true, this.statistics)));
  }

  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    if (!this.inTransaction) throw new Error('savepoint() needs a transaction');
    // Savepoints here are never nested, so one name serves; the SQL is fixed, so skip compiling it.
    await this.db.executeQuery(SAVEPOINT);
    try {
      const result = await work();
      await this.db.executeQuery(RELEASE);
      return result;
    } catch (error) {
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
