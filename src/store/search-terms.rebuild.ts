import type { Kysely } from 'kysely';
import { indexEntriesOf } from '../core/contact-index.ts';
import type { Contact } from '../core/types.ts';
import { chunks, rowsPerStatement } from './contact.rows.ts';
import type { Database } from './tables.ts';

/** Contacts read and compared per step: a few MB of rows and terms in memory, whatever the table's size. */
export const REBUILD_CHUNK = 1000;

export interface RebuildReport {
  contacts: number;
  /** Contacts whose stored terms differed from what writes build now, and were replaced. */
  rewritten: number;
}

/**
 * Makes every contact's search terms what a write would store today (`indexEntriesOf`, the very
 * function writes use, so the two cannot drift): contacts written before a kind of term existed
 * (messaging handles) become findable by it. Walks the contacts by `seq` in chunks; per chunk,
 * reads the stored terms, and replaces the terms only of the contacts where they differ, so a
 * database already up to date is only read. Each chunk is one transaction unless the caller
 * runs the whole rebuild in one (PostgreSQL runs a migration in one).
 */
export async function rebuildSearchTerms(db: Kysely<Database>, chunkSize = REBUILD_CHUNK): Promise<RebuildReport> {
  const report: RebuildReport = { contacts: 0, rewritten: 0 };
  let afterSeq = 0;
  for (;;) {
    // Only what terms are made of: custom values and groups are not parsed, a third of the time at 1 M.
    const rows = await db
      .selectFrom('contacts')
      .select(['seq', 'account_id', 'status', 'display_name', 'first_name', 'last_name', 'company', 'phone_numbers', 'emails', 'messaging'])
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(chunkSize)
      .execute();
    if (rows.length === 0) return report;
    const first = Number(rows[0]!.seq);
    afterSeq = Number(rows[rows.length - 1]!.seq);
    const inStep = db.isTransaction ? (work: (tx: Kysely<Database>) => Promise<void>) => work(db) : (work: (tx: Kysely<Database>) => Promise<void>) => db.transaction().execute(work);
    await inStep(async (tx) => {
      const stored = new Map<number, Set<string>>();
      const termRows = await tx.selectFrom('contact_terms').select(['contact_seq', 'term']).where('contact_seq', '>=', first).where('contact_seq', '<=', afterSeq).execute();
      for (const { contact_seq, term } of termRows) {
        const seq = Number(contact_seq);
        if (!stored.has(seq)) stored.set(seq, new Set());
        stored.get(seq)!.add(term);
      }
      const stale: { seq: number; accountId: string; terms: string[] }[] = [];
      for (const row of rows) {
        const seq = Number(row.seq);
        const terms = indexEntriesOf({
          ...row,
          status: row.status as Contact['status'],
          phone_numbers: JSON.parse(row.phone_numbers),
          emails: JSON.parse(row.emails),
          messaging: JSON.parse(row.messaging),
        }).terms;
        const have = stored.get(seq) ?? new Set<string>();
        if (have.size !== terms.length || terms.some((t) => !have.has(t))) stale.push({ seq, accountId: row.account_id, terms });
      }
      for (const part of chunks(stale, rowsPerStatement(1))) await tx.deleteFrom('contact_terms').where('contact_seq', 'in', part.map((s) => s.seq)).execute();
      const fresh = stale.flatMap((s) => s.terms.map((term) => ({ account_id: s.accountId, contact_seq: s.seq, term })));
      for (const part of chunks(fresh, rowsPerStatement(3))) await tx.insertInto('contact_terms').values(part).execute();
      report.contacts += rows.length;
      report.rewritten += stale.length;
    });
  }
}
