import { sql, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { ContactFilter } from '../core/ports.ts';
import type { EngineName } from './engine.ts';
import type { Database } from './tables.ts';

/**
 * The attribute filters of a contact list (exact matches ignoring case, `*` wildcards on names
 * and phone digits, phone lists), as SQL conditions that work on both engines.
 */
export function whereMatches<O>(
  query: SelectQueryBuilder<Database, 'contacts', O>,
  accountId: string,
  engine: EngineName,
  filter: ContactFilter,
): SelectQueryBuilder<Database, 'contacts', O> {
  if (filter.ids !== undefined) query = filter.ids.length === 0 ? query.where(NOTHING) : query.where('contacts.id', 'in', filter.ids);
  for (const clause of filter.textEquals ?? []) {
    if (clause.fields.length === 0 || clause.values.length === 0) return query.where(NOTHING);
    // lower() on both sides, so that each engine folds both the same way (SQLite folds ASCII only).
    const values = sql.join(clause.values.map((v) => sql`lower(${v})`));
    query = query.where((eb) => eb.or(clause.fields.map((f) => sql<SqlBool>`lower(${sql.ref(`contacts.${f}`)}) in (${values})`)));
  }
  for (const clause of filter.patterns ?? []) {
    const like = likeOf(clause.pattern);
    query = query.where((eb) => {
      const alternatives = clause.fields.map((f) => sql<SqlBool>`lower(${sql.ref(`contacts.${f}`)}) like lower(${like}) escape '\\'`);
      if (clause.phoneDigits !== null) alternatives.push(sql<SqlBool>`${sql.ref('contacts.seq')} in (${phoneDigitsMatching(eb, accountId, engine, clause.phoneDigits)})`);
      return alternatives.length === 0 ? NOTHING : eb.or(alternatives);
    });
  }
  if (filter.phoneE164In !== undefined) {
    const numbers = filter.phoneE164In;
    query = numbers.length === 0 ? query.where(NOTHING) : query.where('contacts.seq', 'in', (eb) => phoneHolders(eb, accountId).where('value', 'in', numbers));
  }
  if (filter.hasPhone === true) query = query.where('contacts.seq', 'in', (eb) => phoneHolders(eb, accountId));
  if (filter.emailIn !== undefined) {
    // The index holds emails in lower case.
    const emails = filter.emailIn.map((e) => e.trim().toLowerCase());
    query = emails.length === 0
      ? query.where(NOTHING)
      : query.where('contacts.seq', 'in', (eb) => eb.selectFrom('contact_addresses').select('contact_seq').where('account_id', '=', accountId).where('kind', '=', 'email').where('value', 'in', emails));
  }
  return query;
}

const NOTHING = sql<SqlBool>`1 = 0`;

function phoneHolders(eb: ExpressionBuilder<Database, 'contacts'>, accountId: string) {
  return eb.selectFrom('contact_addresses').select('contact_seq').where('account_id', '=', accountId).where('kind', '=', 'phone');
}

/**
 * Contacts with a phone whose digits, with or without the country code, match the pattern. The
 * search index holds exactly those two digit strings per phone (phoneSearchDigits); a term counts
 * only when it is a tail of one of the contact's own E.164 numbers, so that name words are not
 * taken for numbers.
 */
function phoneDigitsMatching(eb: ExpressionBuilder<Database, 'contacts'>, accountId: string, engine: EngineName, digits: string) {
  // Terms are byte-ordered text ("C") on PostgreSQL: compare under that collation, not the default.
  const collate = engine === 'postgres' ? sql` collate "C"` : sql``;
  return eb
    .selectFrom('contact_terms as t')
    .innerJoin('contact_addresses as a', 'a.contact_seq', 't.contact_seq')
    .select('t.contact_seq')
    .where('t.account_id', '=', accountId)
    .where('a.kind', '=', 'phone')
    .where(sql<SqlBool>`t.term like ${likeOf(digits)} escape '\\'`)
    .where(sql<SqlBool>`length(t.term) < length(a.value)`)
    .where(sql<SqlBool>`substr(a.value, length(a.value) - length(t.term) + 1)${collate} = t.term`);
}

/** A `*` wildcard pattern as a LIKE pattern, LIKE's own wildcards escaped. */
export function likeOf(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}
