import { sql, type Kysely } from 'kysely';
import type { AddressKind, ContactFilter, ContactIndexEntries, ContactRepository, IndexedContact, ListShape, PageRequest } from '../core/ports.ts';
import type { Contact, Page } from '../core/types.ts';
import { writeIndexChanges, writeIndexRows } from './contact.index.ts';
import { whereMatches } from './contact.matches.ts';
import { SAMPLE_CONTACT, chunks, fromRow, pageOf, rowsPerStatement, toRow } from './contact.rows.ts';
import { mapUniqueViolation } from './errors.ts';
import { isPossibleSeq, type EngineName } from './engine.ts';
import { precompile } from './precompiled.ts';
import type { ContactRow, Database } from './tables.ts';

/** Contacts as one row each (lists held as JSON), plus index rows for lookup, search and groups. */
export class KyselyContactRepository implements ContactRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: EngineName,
    /** Told how many contacts were written, so that the engine's planner statistics keep up. */
    private readonly noteWritten: (rows: number) => void = () => {},
  ) {}

  async insert(contact: Omit<Contact, 'seq'>, index: ContactIndexEntries): Promise<Contact> {
    const { seq } = await mapUniqueViolation(
      async () => (await insertContact(this.db, ...Object.values(toRow(contact))))[0]!,
      'duplicate_external_id',
      `a contact with external_id "${contact.external_id}" already exists`,
    );
    const saved = { ...contact, seq };
    await writeIndexRows(this.db, [saved], [index]);
    this.noteWritten(1);
    return saved;
  }

  async update(next: IndexedContact, previous: IndexedContact): Promise<boolean> {
    const contact = next.contact;
    const result = await mapUniqueViolation(
      () => this.db.updateTable('contacts').set(toRow(contact)).where('seq', '=', contact.seq).where('version', '=', previous.contact.version).executeTakeFirst(),
      'duplicate_external_id',
      `a contact with external_id "${contact.external_id}" already exists`,
    );
    if (Number(result.numUpdatedRows) !== 1) return false;
    await writeIndexChanges(this.db, previous, next);
    return true;
  }

  async delete(contact: Contact): Promise<void> {
    await this.db.deleteFrom('contacts').where('seq', '=', contact.seq).execute();
  }

  async find(accountId: string, id: string): Promise<Contact | undefined> {
    const row = await this.db.selectFrom('contacts').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    return row && fromRow(row);
  }

  async findBySeq(accountId: string, seq: number): Promise<Contact | undefined> {
    if (!isPossibleSeq(seq)) return undefined;
    const row = await this.db.selectFrom('contacts').selectAll().where('seq', '=', seq).where('account_id', '=', accountId).executeTakeFirst();
    return row && fromRow(row);
  }

  async findMany(accountId: string, ids: string[]): Promise<Contact[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('contacts').selectAll().where('id', 'in', ids).where('account_id', '=', accountId).execute();
    return rows.map(fromRow);
  }

  async findByExternalId(accountId: string, externalId: string): Promise<Contact | undefined> {
    const row = await this.db.selectFrom('contacts').selectAll().where('account_id', '=', accountId).where('external_id', '=', externalId).executeTakeFirst();
    return row && fromRow(row);
  }

  async findByAddresses(accountId: string, addresses: { kind: AddressKind; value: string }[], addressBookId?: string): Promise<Contact[]> {
    if (addresses.length === 0) return [];
    let query = this.db
      .selectFrom('contacts')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('seq', 'in', (eb) => {
        // One indexed probe per address, joined by UNION: with the pairs OR-ed in one WHERE,
        // SQLite used the index on the account alone and read every address of the account.
        const probes = addresses.map((a) => {
          let probe = eb.selectFrom('contact_addresses').select('contact_seq').where('account_id', '=', accountId).where('kind', '=', a.kind).where('value', '=', a.value);
          if (addressBookId !== undefined) probe = probe.where('address_book_id', '=', addressBookId);
          return probe;
        });
        return probes.slice(1).reduce((all, probe) => all.union(probe), probes[0]!);
      });
    if (addressBookId !== undefined) query = query.where('address_book_id', '=', addressBookId);
    const rows = await query.orderBy('seq').execute();
    return rows.map(fromRow);
  }

  async lookup(accountId: string, kind: AddressKind, value: string, limit: number): Promise<Contact[]> {
    // PostgreSQL: one round trip. SQLite: two indexed reads, and the few matches sorted here,
    // since there the join and the ORDER BY's temporary B-tree each cost more than the reads
    // themselves (35 µs against 12 µs a lookup).
    if (this.engine === 'postgres') return (await selectLookupJoined(this.db, accountId, kind, value, limit)).map(fromRow);
    const holders = await selectHolders(this.db, accountId, kind, value);
    if (holders.length === 0) return [];
    const seqs = holders.map((h) => h.contact_seq);
    let rows: ContactRow[];
    if (seqs.length <= PRECOMPILED_HOLDERS) rows = await selectBySeqs[seqs.length - 1]!(this.db, ...seqs);
    // A number shared by very many contacts (a switchboard) is left to the database to sort and cut.
    else if (seqs.length > SORT_IN_MEMORY_UP_TO) rows = await this.db.selectFrom('contacts').selectAll().where('seq', 'in', seqs).orderBy('updated_at', 'desc').orderBy('seq', 'desc').limit(limit).execute();
    else rows = await this.db.selectFrom('contacts').selectAll().where('seq', 'in', seqs).execute();
    const contacts = rows.map(fromRow);
    return contacts.sort(byMostRecentlyUpdated).slice(0, limit);
  }

  async list(accountId: string, filter: ContactFilter, page: PageRequest): Promise<Page<Contact>> {
    let query = await this.selectFiltered(accountId, filter);
    if (page.afterSeq !== undefined) query = query.where('seq', '>', page.afterSeq);
    query = query.orderBy('seq').limit(page.limit + 1);
    if (page.offset !== undefined && page.offset > 0) query = query.offset(page.offset);
    return pageOf((await query.execute()).map(fromRow), page.limit);
  }

  async count(accountId: string, filter: ContactFilter): Promise<number> {
    const query = await this.selectFiltered(accountId, filter);
    const { count } = await query.clearSelect().select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(count);
  }

  async shapeOf(accountId: string, filter: ContactFilter): Promise<ListShape> {
    const query = await this.selectFiltered(accountId, filter);
    // The lists are JSON text on both engines; PostgreSQL needs the cast to read them as JSON.
    const lengthOf = (column: 'phone_numbers' | 'emails' | 'messaging') =>
      this.engine === 'postgres' ? sql<number>`max(json_array_length(${sql.ref(column)}::json))` : sql<number>`max(json_array_length(${sql.ref(column)}))`;
    const row = await query.clearSelect().select([lengthOf('phone_numbers').as('phones'), lengthOf('emails').as('emails'), lengthOf('messaging').as('messaging')]).executeTakeFirst();
    return { phones: Number(row?.phones ?? 0), emails: Number(row?.emails ?? 0), messaging: Number(row?.messaging ?? 0) };
  }

  /** The contacts of an account that pass every condition of the filter, in no order yet. */
  private async selectFiltered(accountId: string, filter: ContactFilter) {
    let query = this.db.selectFrom('contacts').selectAll().where('account_id', '=', accountId);
    if (filter.addressBookId !== undefined) query = query.where('address_book_id', '=', filter.addressBookId);
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.externalId !== undefined) query = query.where('external_id', '=', filter.externalId);
    if (filter.mergedInto !== undefined) query = query.where('merged_into', '=', filter.mergedInto);
    if (filter.updatedSince !== undefined) query = query.where('updated_at', '>=', filter.updatedSince);
    for (const [kind, value] of [['phone', filter.phoneE164], ['email', filter.email?.toLowerCase()]] as const) {
      if (value === undefined) continue;
      query = query.where('seq', 'in', (eb) =>
        eb.selectFrom('contact_addresses').select('contact_seq').where('account_id', '=', accountId).where('kind', '=', kind).where('value', '=', value),
      );
    }
    if (filter.groupId !== undefined) {
      const groupId = filter.groupId;
      query = query.where('seq', 'in', (eb) => eb.selectFrom('group_members').select('contact_seq').where('group_id', '=', groupId));
    }
    if (filter.termPrefix !== undefined && filter.termPrefix !== '') {
      const [from, to] = [filter.termPrefix, `${filter.termPrefix}\uffff`];
      // A rare prefix: collect its few contacts from the term index. A common one ("a", a company
      // every tenth contact shares): walk the contacts in page order and keep those that match,
      // which finds a page long before the term index would have been read to its end.
      const common = (await this.countTermMatches(accountId, from, to, COMMON_PREFIX_MATCHES)) >= COMMON_PREFIX_MATCHES;
      // The walk is a scalar subquery with LIMIT 1, not EXISTS: PostgreSQL turns EXISTS into a
      // semi-join, and with its poor estimate of a prefix range (58 rows for 33,360) it then
      // collected and sorted every match (930 ms at 1 M contacts; this form: 4 ms).
      query = common
        ? query.where(
            (eb) => eb.selectFrom('contact_terms as t').select(eb.lit(1).as('hit')).whereRef('t.contact_seq', '=', 'contacts.seq').where('t.term', '>=', from).where('t.term', '<', to).limit(1),
            'is not',
            null,
          )
        : query.where('seq', 'in', (eb) => eb.selectFrom('contact_terms').select('contact_seq').where('account_id', '=', accountId).where('term', '>=', from).where('term', '<', to));
      // The search's other words: each checked on the contacts the first one found.
      for (const prefix of filter.moreTermPrefixes ?? []) {
        query = query.where(
          (eb) => eb.selectFrom('contact_terms as t').select(eb.lit(1).as('hit')).whereRef('t.contact_seq', '=', 'contacts.seq').where('t.term', '>=', prefix).where('t.term', '<', `${prefix}\uffff`).limit(1),
          'is not',
          null,
        );
      }
    }
    return whereMatches(query, accountId, this.engine, filter);
  }

  /** How many index terms fall in [from, to), counting no further than `atMost`. */
  private async countTermMatches(accountId: string, from: string, to: string, atMost: number): Promise<number> {
    const { count } = await this.db
      .selectFrom((eb) => eb.selectFrom('contact_terms').select('contact_seq').where('account_id', '=', accountId).where('term', '>=', from).where('term', '<', to).limit(atMost).as('m'))
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  async lastSeq(accountId: string): Promise<number> {
    const { last } = await this.db.selectFrom('contacts').select((eb) => eb.fn.max('seq').as('last')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
    return Number(last ?? 0);
  }

  async countInBook(accountId: string, addressBookId: string): Promise<number> {
    const { count } = await this.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .where('address_book_id', '=', addressBookId)
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  async insertMany(contacts: Omit<Contact, 'seq'>[], indexes: ContactIndexEntries[]): Promise<Contact[]> {
    if (contacts.length === 0) return [];
    const seqById = new Map<string, number>();
    for (const rows of chunks(contacts.map(toRow), rowsPerStatement(28))) {
      for (const { id, seq } of await this.db.insertInto('contacts').values(rows).returning(['id', 'seq']).execute()) seqById.set(id, Number(seq));
    }
    const saved = contacts.map((c) => ({ ...c, seq: seqById.get(c.id)! }));
    await writeIndexRows(this.db, saved, indexes);
    this.noteWritten(saved.length);
    return saved;
  }
}

// Parameters follow toRow's key order.
const insertContact = precompile<unknown[], { seq: number }>('contacts.insert', (db) => db.insertInto('contacts').values(toRow(SAMPLE_CONTACT)).returning('seq'));

const selectHolders = precompile<[string, string, string], { contact_seq: number }>('contacts.holders', (db) =>
  db.selectFrom('contact_addresses').select('contact_seq').where('account_id', '=', '').where('kind', '=', '').where('value', '=', ''),
);

const selectLookupJoined = precompile<[string, string, string, number], ContactRow>('contacts.lookup', (db) =>
  db
    .selectFrom('contact_addresses as a')
    .innerJoin('contacts as c', 'c.seq', 'a.contact_seq')
    .selectAll('c')
    .where('a.account_id', '=', '')
    .where('a.kind', '=', '')
    .where('a.value', '=', '')
    .orderBy('c.updated_at', 'desc')
    .orderBy('c.seq', 'desc')
    .limit(0),
);

/** The rows of a number's holders, for the usual few holders, each count compiled once. */
const PRECOMPILED_HOLDERS = 4;
const selectBySeqs = Array.from({ length: PRECOMPILED_HOLDERS }, (_, n) =>
  precompile<number[], ContactRow>(`contacts.by_seqs.${n + 1}`, (db) => db.selectFrom('contacts').selectAll().where('seq', 'in', Array<number>(n + 1).fill(0))),
);

const SORT_IN_MEMORY_UP_TO = 200;
/** Where collecting a prefix's matches starts to cost more than walking pages (about √(150·N) at N = 1 M). */
const COMMON_PREFIX_MATCHES = 10_000;

function byMostRecentlyUpdated(a: Contact, b: Contact): number {
  return a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : b.seq - a.seq;
}

