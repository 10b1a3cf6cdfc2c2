import { toE164 } from '../phones.ts';
import type { ContactFilter, Store } from '../ports.ts';
import type { Contact } from '../types.ts';
import { withCards } from './card-reads.ts';
import type { CardEntry } from './card.types.ts';
import { cardValuesOf, textMatches } from './card-match.ts';

export const COLLATIONS = ['i;unicode-casemap', 'i;ascii-casemap', 'i;octet'] as const;
export type Collation = (typeof COLLATIONS)[number];
export const MATCH_TYPES = ['equals', 'contains', 'starts-with', 'ends-with'] as const;
export type MatchType = (typeof MATCH_TYPES)[number];

/** One CARDDAV:text-match (RFC 6352 §10.5.4). */
export interface TextMatch {
  text: string;
  collation: Collation;
  matchType: MatchType;
  negate: boolean;
}

/** One CARDDAV:prop-filter: a property (FN, TEL…) and its tests (RFC 6352 §10.5.1). */
export interface PropFilter {
  name: string;
  test: 'anyof' | 'allof';
  /** CARDDAV:is-not-defined: matches cards without the property. */
  isNotDefined: boolean;
  textMatches: TextMatch[];
}

/** A CARDDAV:filter: no prop-filter matches every card. */
export interface CardQuery {
  test: 'anyof' | 'allof';
  filters: PropFilter[];
}

const PAGE = 500;

/**
 * The book's cards matching the query, at most `limit` (`truncated`: more matched). Candidates
 * come from the indexes whenever a filter allows (a phone number from the lookup index, a name or
 * email prefix from the search terms, patterns in the store); every candidate is then checked
 * against the exact filter (collation, match type) in memory. Only filters no index can serve
 * (NICKNAME, negations, is-not-defined) walk the book, a page at a time.
 */
export async function queryCards(store: Store, region: string, accountId: string, bookId: string, query: CardQuery, limit: number): Promise<{ entries: CardEntry[]; truncated: boolean }> {
  const matches = (entry: CardEntry) => matchesQuery(entry, query, region);
  const base: ContactFilter = { addressBookId: bookId, status: 'active' };
  const narrowed = await narrowingOf(query, (m, property) => textMatchNarrowing(store, accountId, property, m, region));
  const filters = narrowed === null ? [base] : narrowed.map((f) => ({ ...base, ...f }));
  const found = new Map<string, CardEntry>();
  for (const filter of filters) {
    let afterSeq: number | undefined;
    for (;;) {
      const page = await store.contacts.list(accountId, filter, { limit: PAGE, ...(afterSeq === undefined ? {} : { afterSeq }) });
      const fresh: Contact[] = page.items.filter((c) => !found.has(c.id));
      for (const entry of await withCards(store, accountId, fresh)) {
        if (!matches(entry)) continue;
        if (found.size === limit) return { entries: [...found.values()], truncated: true };
        found.set(entry.contact.id, entry);
      }
      if (page.nextCursor === null || page.items.length === 0) break;
      afterSeq = page.items[page.items.length - 1]!.seq;
    }
  }
  // Several filters (anyof) each gave their matches in their own order: answer in the book's.
  return { entries: [...found.values()].sort((a, b) => a.contact.seq - b.contact.seq), truncated: false };
}

function matchesQuery(entry: CardEntry, query: CardQuery, region: string): boolean {
  if (query.filters.length === 0) return true;
  const results = query.filters.map((f) => matchesPropFilter(entry, f, region));
  return query.test === 'allof' ? results.every(Boolean) : results.some(Boolean);
}

function matchesPropFilter(entry: CardEntry, filter: PropFilter, region: string): boolean {
  const values = cardValuesOf(entry, filter.name);
  if (filter.isNotDefined) return values.length === 0;
  if (filter.textMatches.length === 0) return values.length > 0;
  const results = filter.textMatches.map((m) => values.some((v) => textMatches(filter.name, v, m, region)) !== m.negate);
  return filter.test === 'allof' ? results.every(Boolean) : results.some(Boolean);
}

/**
 * Store filters whose union holds every match (each still checked exactly), or null when some
 * match could escape every index: the book is walked then.
 */
type Narrow = (match: TextMatch, property: string) => Promise<ContactFilter | null>;

async function narrowingOf(query: CardQuery, narrow: Narrow): Promise<ContactFilter[] | null> {
  if (query.filters.length === 0) return null;
  const perFilter: (ContactFilter[] | null)[] = [];
  for (const filter of query.filters) perFilter.push(await propFilterNarrowing(filter, narrow));
  if (query.test === 'allof') {
    // Every filter must hold: any one that narrows is enough.
    return perFilter.find((n) => n !== null) ?? null;
  }
  return perFilter.some((n) => n === null) ? null : perFilter.flatMap((n) => n!);
}

async function propFilterNarrowing(filter: PropFilter, narrow: Narrow): Promise<ContactFilter[] | null> {
  if (filter.isNotDefined || filter.textMatches.length === 0) return null;
  const perMatch: (ContactFilter | null)[] = [];
  for (const m of filter.textMatches) perMatch.push(m.negate ? null : await narrow(m, filter.name.toUpperCase()));
  if (filter.test === 'allof') {
    const one = perMatch.find((n) => n !== null);
    return one ? [one] : null;
  }
  return perMatch.some((n) => n === null) ? null : (perMatch as ContactFilter[]);
}

const NAME_FIELDS = { FN: ['display_name'], N: ['first_name', 'last_name', 'salutation'], ORG: ['company'] } as const;

async function textMatchNarrowing(store: Store, accountId: string, property: string, match: TextMatch, region: string): Promise<ContactFilter | null> {
  const text = match.text;
  if (text === '') return null;
  // The store's case-insensitive patterns fold ASCII letters only (SQLite's lower()).
  if (match.collation !== 'i;octet' && /[^\x00-\x7f]/.test(text)) return null;
  if (property === 'TEL') {
    const digits = text.replace(/\D/g, '');
    if (digits === '' || /[a-z]/i.test(text)) return null;
    const e164 = match.matchType === 'equals' ? toE164(text, region) : null;
    if (e164 !== null) return { phoneE164: e164 };
    if (match.matchType === 'starts-with') return { termPrefix: digits };
    return { patterns: [{ fields: [], pattern: `*${digits}*`, phoneDigits: `*${digits}*` }] };
  }
  if (property === 'EMAIL') {
    if (match.matchType === 'equals') return { email: text.trim().toLowerCase() };
    if (match.matchType === 'starts-with') return { termPrefix: text.trim().toLowerCase() };
    return null;
  }
  if (property === 'UID') {
    if (match.matchType !== 'equals') return null;
    // A client's own UID is kept beside the contact; a contact made elsewhere has its id as UID.
    const holders = await store.cards.findByUid(accountId, text);
    return { ids: [...holders.map((c) => c.contactId), ...(CONTACT_ID.test(text.toLowerCase()) ? [text.toLowerCase()] : [])] };
  }
  const fields = NAME_FIELDS[property as keyof typeof NAME_FIELDS];
  // The store's patterns use `*` as their wildcard: a text holding one cannot be one of them.
  if (!fields || text.includes('*')) return null;
  if (property === 'N') {
    // N is family;given;additional;prefix;suffix: a text without `;` that matches lies in one
    // component, so "some name field contains it" holds every match.
    return text.includes(';') ? null : { patterns: [{ fields: [...fields], pattern: `*${text}*`, phoneDigits: null }] };
  }
  const pattern = { equals: text, contains: `*${text}*`, 'starts-with': `${text}*`, 'ends-with': `*${text}` }[match.matchType];
  return { patterns: [{ fields: [...fields], pattern, phoneDigits: null }] };
}

const CONTACT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
