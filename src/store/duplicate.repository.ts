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
    // These expressions and conditions repeat the partial index contacts_name_company word for word.
    const named = (t: string) => sql`${sql.ref(`${t}.status`)} = 'active' and ${sql.ref(`${t}.display_name`)} <> '' and ${sql.ref(`${t}.company`)} <> ''`;
    const name = (t: string) => sql<string>`lower(${sql.ref(`${t}.display_name`)})`;
    const company = (t: string) => sql<string>`lower(${sql.ref(`${t}.company`)})`;
    const [fromName, fromCompany] = [after?.value[0] ?? '', after?.value[1] ?? ''];
    const book = (t: string) => (bookId === undefined ? sql`1 = 1` : sql`${sql.ref(`${t}.address_book_id`)} = ${bookId}`);
    const { rows } = await sql<{ name: string; company: string; a_seq: number; b_seq: number; a_id: string; b_id: string }>`
      with dup as (
        select ${name('c')} as name, ${company('c')} as company from contacts c
        where c.account_id = ${accountId} and ${named('c')} and ${book('c')}
          and (${name('c')} > ${fromName} or (${name('c')} = ${fromName} and ${company('c')} >= ${fromCompany}))
        group by ${name('c')}, ${company('c')} having count(*) > 1
        order by 1, 2 limit ${limit + 2}
      )
      select dup.name, dup.company, a.seq as a_seq, b.seq as b_seq, a.id as a_id, b.id as b_id
      from dup
      join contacts a on a.account_id = ${accountId} and ${named('a')} and ${book('a')} and ${name('a')} = dup.name and ${company('a')} = dup.company
      join contacts b on b.account_id = ${accountId} and ${named('b')} and ${book('b')} and ${name('b')} = dup.name and ${company('b')} = dup.company and b.seq > a.seq
      where ${after === undefined ? sql`1 = 1` : sql`(dup.name, dup.company, a.seq, b.seq) > (${fromName}, ${fromCompany}, ${after.aSeq}, ${after.bSeq})`}
      order by dup.name, dup.company, a.seq, b.seq
      limit ${limit}`.execute(this.db);
    return rows.map((r) => ({ value: [r.name, r.company], aSeq: Number(r.a_seq), bSeq: Number(r.b_seq), aId: r.a_id, bId: r.b_id }));
  }
}
