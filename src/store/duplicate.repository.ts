import { sql, type Kysely } from 'kysely';
import type { DuplicateAfter, DuplicateReason, DuplicateRepository, StoredDuplicatePair } from '../core/ports.ts';
import type { Database } from './tables.ts';

/**
 * Candidate pairs of live contacts, found by grouping an index by value: first the values held by
 * more than one contact (a scan of the index alone), then the pairs of those few values. Pages
 * follow (value, first seq, second seq), so each pair appears once and a page never repeats one.
 */
export class KyselyDuplicateRepository implements DuplicateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  pairs(accountId: string, reason: DuplicateReason, after: DuplicateAfter | undefined, limit: number, addressBookId?: string): Promise<StoredDuplicatePair[]> {
    return reason === 'name_company' ? this.namePairs(accountId, after, limit, addressBookId) : this.addressPairs(accountId, reason, after, limit, addressBookId);
  }

  private async addressPairs(accountId: string, kind: 'phone' | 'email', after: DuplicateAfter | undefined, limit: number, bookId?: string): Promise<StoredDuplicatePair[]> {
    const from = after?.value[0] ?? '';
    const rows = await this.db
      .with('dup', (db) => {
        let values = db.selectFrom('contact_addresses').select('value').where('account_id', '=', accountId).where('kind', '=', kind).where('value', '>=', from);
        if (bookId !== undefined) values = values.where('address_book_id', '=', bookId);
        // Every value but perhaps the first (whose pairs the previous page may have taken) gives a pair.
        // Held by two contacts at least: one contact holding a value twice is no pair.
        return values.groupBy('value').having(sql`count(distinct contact_seq)`, '>', 1).orderBy('value').limit(limit + 2);
      })
      .selectFrom('dup')
      .innerJoin('contact_addresses as a', (j) => j.onRef('a.value', '=', 'dup.value').on('a.account_id', '=', accountId).on('a.kind', '=', kind))
      .innerJoin('contact_addresses as b', (j) => j.onRef('b.value', '=', 'a.value').onRef('b.contact_seq', '>', 'a.contact_seq').on('b.account_id', '=', accountId).on('b.kind', '=', kind))
      .innerJoin('contacts as ca', 'ca.seq', 'a.contact_seq')
      .innerJoin('contacts as cb', 'cb.seq', 'b.contact_seq')
      .$if(bookId !== undefined, (q) => q.where('a.address_book_id', '=', bookId!).where('b.address_book_id', '=', bookId!))
      .$if(after !== undefined, (q) => q.where((eb) => eb(eb.refTuple('a.value', 'a.contact_seq', 'b.contact_seq'), '>', eb.tuple(after!.value[0]!, after!.aSeq, after!.bSeq))))
      .select(['a.value as value', 'a.contact_seq as a_seq', 'b.contact_seq as b_seq', 'ca.id as a_id', 'cb.id as b_id'])
      .distinct()
      .orderBy('a.value')
      .orderBy('a.contact_seq')
      .orderBy('b.contact_seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ value: [r.value], aSeq: Number(r.a_seq), bSeq: Number(r.b_seq), aId: r.a_id, bId: r.b_id }));
  }

  private async namePairs(accountId: string, after: DuplicateAfter | undefined, limit: number, bookId?: string): Promise<StoredDuplicatePair[]> {
    // The WHERE and expressions repeat the partial index contacts_name_company word for word, so
    // that both planners use it. Two steps, not one join: SQLite joined the grouped keys back to
    // the contacts by scanning them (80 s at 10,000 contacts); each key alone is one index probe.
    const named = sql`status = 'active' and display_name <> '' and company <> ''`;
    const book = bookId === undefined ? sql`` : sql` and address_book_id = ${bookId}`;
    const [fromName, fromCompany] = [after?.value[0] ?? '', after?.value[1] ?? ''];
    const { rows: keys } = await sql<{ name: string; company: string }>`
      select lower(display_name) as name, lower(company) as company from contacts
      where account_id = ${accountId} and ${named}${book}
        and (lower(display_name) > ${fromName} or (lower(display_name) = ${fromName} and lower(company) >= ${fromCompany}))
      group by lower(display_name), lower(company) having count(*) > 1
      order by 1, 2 limit ${limit + 2}`.execute(this.db);
    const pairs: StoredDuplicatePair[] = [];
    for (const key of keys) {
      // Keys come in the database's order (its collation); only the cursor's own key needs its pairs cut.
      const atCursor = after !== undefined && key.name === fromName && key.company === fromCompany;
      const { rows } = await sql<{ seq: number; id: string }>`
        select seq, id from contacts
        where account_id = ${accountId} and ${named}${book} and lower(display_name) = ${key.name} and lower(company) = ${key.company}
        order by seq`.execute(this.db);
      for (const [i, a] of rows.entries()) {
        for (const b of rows.slice(i + 1)) {
          const pair = { value: [key.name, key.company], aSeq: Number(a.seq), bSeq: Number(b.seq), aId: a.id, bId: b.id };
          if (!atCursor || pair.aSeq > after.aSeq || (pair.aSeq === after.aSeq && pair.bSeq > after.bSeq)) pairs.push(pair);
        }
      }
      if (pairs.length >= limit) break;
    }
    return pairs.slice(0, limit);
  }
}

