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
import type { Database } from './tables.ts';

const SAVEPOINT = CompiledQuery.raw('savepoint item');
const RELEASE = CompiledQuery.raw('release savepoint item');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint item');

/** The core's Store over Kysely, on either engine; inside `transaction` every repository uses the transaction. */
export class KyselyStore implements Store {
  readonly accounts;
  readonly apiKeys;
  readonly addressBooks;
  readonly customFields;
  readonly contacts;
  readonly groups;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: EngineName,
    private readonly inTransaction = false,
  ) {
    this.accounts = new KyselyAccountRepository(db);
    this.apiKeys = new KyselyApiKeyRepository(db);
    this.addressBooks = new KyselyAddressBookRepository(db);
    this.customFields = new KyselyCustomFieldRepository(db);
    this.contacts = new KyselyContactRepository(db, engine);
    this.groups = new KyselyGroupRepository(db);
  }

  async transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    return this.db.transaction().execute((trx) => work(new KyselyStore(trx, this.engine, true)));
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

  isReachable(): Promise<boolean> {
    return isDatabaseReachable(this.db);
  }
}
