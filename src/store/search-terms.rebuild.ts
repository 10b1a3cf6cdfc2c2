import type { Kysely } from 'kysely';
import { indexEntriesOf } from '../core/contacts/contact-index.ts';
import type { Contact } from '../core/types.ts';
import { chunks, rowsPerStatement } from './contact.rows.ts';
import type { EngineName } from './engine.ts';
import type { ContactRow, Database } from './tables.ts';

/** Contacts read and compared per step: a few MB of rows and terms in memory, whatever the table's size. */
export const REBUILD_CHUNK = 1000;

export interface RebuildReport {
  contacts: number;
  /** Contacts whose stored terms differed from what writes build now, and were replaced. */
  rewritten: number;
}

/** Only what terms are made of: custom values and groups are neither read nor parsed. */
const TERM_SOURCES = ['seq', 'account_id', 'status', 'display_name', 'first_name', 'last_name', 'company', 'phone_numbers', 'emails', 'messaging'] as const;
type SourceRow = Pick<ContactRow, (typeof TERM_SOURCES)[number]>;

/**
 * Makes every contact's search terms what a write would store today (`indexEntriesOf`, the very
 * function writes use, so the two cannot drift): contacts written before a kind of term existed
 * (messaging handles) become findable by it. Walks the contacts by `seq` in chunks; per chunk,
 * compares with the stored terms and replaces the terms only of the contacts where they differ,
 * so a database already up to date is only read. Each chunk is one transaction unless the caller
 * runs the whole rebuild in one (PostgreSQL runs a migration in one).
 */
export async function rebuildSearchTerms(db: Kysely<Database>, engine: EngineName, chunkSize = REBUILD_CHUNK): Promise<RebuildReport> {
  const report: RebuildReport = { contacts: 0, rewritten: 0 };
  const inStep = (work: (tx: Kysely<Database>) => Promise<void>) => (db.isTransaction ? work(db) : db.transaction().execute(work));
  for (let afterSeq = 0; ; ) {
    const rows = await db.selectFrom('contacts').select(TERM_SOURCES).where('seq', '>', afterSeq).orderBy('seq').limit(chunkSize).execute();
    if (rows.length === 0) return report;
    const [first, last] = [Number(rows[0]!.seq), Number(rows[rows.length - 1]!.seq)];
    afterSeq = last;
    await inStep(async (tx) => {
      const stored = await storedTerms(tx, first, last);
      const stale = rows.filter((row) => !sameTerms(stored.get(Number(row.seq)), termsOf(row))).map((row) => Number(row.seq));
      if (stale.length > 0) await rewriteTerms(tx, engine, stale);
      report.contacts += rows.length;
      report.rewritten += stale.length;
    });
  }
}

function termsOf(row: SourceRow): string[] {
  return indexEntriesOf({
    ...row,
    status: row.status as Contact['status'],
    phone_numbers: JSON.parse(row.phone_numbers),
    emails: JSON.parse(row.emails),
    messaging: JSON.parse(row.messaging),
  }).terms;
}

function sameTerms(stored: Set<string> | undefined, terms: string[]): boolean {
  const have = stored ?? new Set<string>();
  return have.size === terms.length && terms.every((t) => have.has(t));
}

async function storedTerms(tx: Kysely<Database>, first: number, last: number): Promise<Map<number, Set<string>>> {
  const stored = new Map<number, Set<string>>();
  const rows = await tx.selectFrom('contact_terms').select(['contact_seq', 'term']).where('contact_seq', '>=', first).where('contact_seq', '<=', last).execute();
  for (const { contact_seq, term } of rows) {
    const seq = Number(contact_seq);
    if (!stored.has(seq)) stored.set(seq, new Set());
    stored.get(seq)!.add(term);
  }
  return stored;
}

/**
 * Replaces these contacts' terms, built from the rows as they are now: on PostgreSQL the rows are
 * read again `for update`, so a node writing one of them meanwhile (a fleet keeps serving while
 * a starting node migrates) either finished first and is read, or waits and writes after.
 */
async function rewriteTerms(tx: Kysely<Database>, engine: EngineName, seqs: number[]): Promise<void> {
  const query = tx.selectFrom('contacts').select(TERM_SOURCES).where('seq', 'in', seqs);
  const rows = engine === 'postgres' ? await query.forUpdate().execute() : await query.execute();
  for (const part of chunks(seqs, rowsPerStatement(1))) await tx.deleteFrom('contact_terms').where('contact_seq', 'in', part).execute();
  const fresh = rows.flatMap((row) => termsOf(row).map((term) => ({ account_id: row.account_id, contact_seq: Number(row.seq), term })));
  for (const part of chunks(fresh, rowsPerStatement(3))) await tx.insertInto('contact_terms').values(part).execute();
}
