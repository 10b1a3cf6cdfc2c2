import { findOrThrow } from './contact-writes.ts';
import { decodeCursor } from '../cursor.ts';
import { DomainError, invalidField } from '../errors.ts';
import { phoneDigitsPatternOf, toE164 } from '../phones.ts';
import type { ContactFilter, Store } from '../ports.ts';
import type { Contact, ContactTextField, Page, Principal } from '../types.ts';

export interface ContactServiceDeps {
  store: Store;
  defaultRegion: string;
}

const MAX_LOOKUP_MATCHES = 50;

/** List filters as callers give them: `phone` in any format, `q` as typed. */
export type ContactQuery = Omit<ContactFilter, 'phoneE164' | 'termPrefix'> & { phone?: string; q?: string };

/** List filters of `listWithTotal` beyond those of `list` (which also takes `textEquals` and `ids`). */
export type ContactMatchQuery = ContactQuery & {
  /** Each clause: one of the fields (or, with `phones`, one of the phones' digits) matches the `*` wildcard pattern, ignoring case. */
  wildcards?: { fields: ContactTextField[]; pattern: string; phones: boolean }[];
  /** Contacts holding one of these numbers, in any format; `*` means any number. */
  phonesAnyOf?: string[];
};

/** The filters that select a set of contacts (an export's, a bulk action's): those of the list that are not a single contact's. */
export type ContactSetQuery = Pick<ContactQuery, 'addressBookId' | 'groupId' | 'type' | 'q' | 'updatedSince'>;

/** The store's filter for a set of live contacts: the given filters only, `q` as the search index's prefix. */
export function contactSetFilterOf(query: ContactSetQuery): ContactFilter {
  const { q, ...rest } = query;
  const filter: ContactFilter = { status: 'active' };
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) (filter as Record<string, unknown>)[key] = value;
  if (q !== undefined) Object.assign(filter, searchFilterOf(q));
  return filter;
}

/** A search box's text as an index prefix: a phone-like query searches digits. */
export function searchPrefixOf(q: string): string {
  const text = q.trim().toLowerCase();
  return /^[+\d\s().-]+$/.test(text) && /\d/.test(text) ? text.replace(/\D/g, '') : text;
}

/**
 * The store's search filter for a search box's text: one prefix, or for several words separated
 * by spaces ("jane doe", "acme corp", "doe, jane") one per word, each matching a term of the
 * contact (the longest, the most selective, leads). A word keeps its inner punctuation, so
 * `jane.doe` still finds an email or handle that starts so.
 */
export function searchFilterOf(q: string): Pick<ContactFilter, 'termPrefix' | 'moreTermPrefixes'> {
  const prefix = searchPrefixOf(q);
  const words = [...new Set(prefix.split(/\s+/).map((w) => w.replace(EDGE_PUNCTUATION, '')).filter((w) => w !== ''))].sort((a, b) => b.length - a.length);
  if (words.length <= 1) return { termPrefix: prefix };
  return { termPrefix: words[0]!, moreTermPrefixes: words.slice(1) };
}

/** Punctuation around a word of a search ("doe," in "doe, jane"). */
const EDGE_PUNCTUATION = /^[,;:()"']+|[,;:()"']+$/g;

/** Reading contacts: by id, lists with the platforms' filters, and the screen-pop lookup. */
export class ContactQueries {
  constructor(protected readonly deps: ContactServiceDeps) {}

  async get(actor: Principal, id: string): Promise<Contact> {
    return findOrThrow(this.deps.store, actor.accountId, id);
  }

  /** By the integer id that 8x8 and Apptoto show. */
  async getBySeq(actor: Principal, seq: number): Promise<Contact> {
    const contact = await this.deps.store.contacts.findBySeq(actor.accountId, seq);
    if (!contact) throw new DomainError('contact_not_found', `no contact with id ${seq}`);
    return contact;
  }

  /** Live contacts matching every given filter, in creation order; `phone` may be in any format. */
  async list(actor: Principal, query: ContactQuery, limit: number, cursor?: string): Promise<Page<Contact>> {
    const { phone, q, status = 'active', ...rest } = query;
    const filter: ContactFilter = { status, ...rest };
    if (phone !== undefined) filter.phoneE164 = this.phoneOrThrow(phone, 'phone');
    if (q !== undefined) Object.assign(filter, searchFilterOf(q));
    return this.deps.store.contacts.list(actor.accountId, filter, { limit, afterSeq: decodeCursor(cursor) });
  }

  /** Screen pop: live contacts holding this phone (any format) or email, most recently updated first. */
  async lookup(actor: Principal, key: { phone?: string; email?: string }): Promise<Contact[]> {
    if ((key.phone === undefined) === (key.email === undefined)) throw invalidField('phone', 'give exactly one of phone or email');
    return key.phone !== undefined
      ? this.deps.store.contacts.lookup(actor.accountId, 'phone', this.phoneOrThrow(key.phone, 'phone'), MAX_LOOKUP_MATCHES)
      : this.deps.store.contacts.lookup(actor.accountId, 'email', key.email!.trim().toLowerCase(), MAX_LOOKUP_MATCHES);
  }

  /**
   * One numbered page (offset and limit) of live contacts matching every filter, with how many
   * match in all, for platforms whose lists are whole or numbered (Genesys). Beside the list
   * filters it takes exact attribute matches, `*` wildcard matches on names or phone digits, and
   * phone numbers in any format (`*`: any phone); all of them are evaluated by the store.
   */
  async listWithTotal(actor: Principal, query: ContactMatchQuery, page: { limit: number; offset: number }): Promise<{ items: Contact[]; total: number }> {
    const { phone, q, status = 'active', wildcards, phonesAnyOf, ...rest } = query;
    const filter: ContactFilter = { status, ...rest };
    if (phone !== undefined) filter.phoneE164 = this.phoneOrThrow(phone, 'phone');
    if (q !== undefined) Object.assign(filter, searchFilterOf(q));
    if (wildcards !== undefined) {
      filter.patterns = wildcards.map((w) => ({ fields: w.fields, pattern: w.pattern, phoneDigits: w.phones ? phoneDigitsPatternOf(w.pattern) : null }));
    }
    if (phonesAnyOf !== undefined) {
      // A number no contact can hold (not a phone number) matches nothing rather than failing the list.
      if (phonesAnyOf.some((p) => p.trim() === '*')) filter.hasPhone = true;
      else filter.phoneE164In = phonesAnyOf.map((p) => toE164(p, this.deps.defaultRegion)).filter((e): e is string => e !== null);
    }
    const [found, total] = await Promise.all([
      this.deps.store.contacts.list(actor.accountId, filter, { limit: page.limit, offset: page.offset }),
      this.deps.store.contacts.count(actor.accountId, filter),
    ]);
    return { items: found.items, total };
  }

  /**
   * A cursor page of live contacts of one book (or the account) holding any of the given phones
   * (any format; one that is not a phone number is `invalid phone_numbers`) and any of the given
   * emails, with how many match in all (Zoom's contact list).
   */
  async listPageWithTotal(
    actor: Principal,
    query: { addressBookId?: string; phonesAnyOf?: string[]; emailsAnyOf?: string[] },
    limit: number,
    cursor?: string,
  ): Promise<Page<Contact> & { total: number }> {
    const filter: ContactFilter = { status: 'active' };
    if (query.addressBookId !== undefined) filter.addressBookId = query.addressBookId;
    if (query.phonesAnyOf !== undefined) filter.phoneE164In = query.phonesAnyOf.map((p, i) => this.phoneOrThrow(p, `phone_numbers[${i}]`));
    if (query.emailsAnyOf !== undefined) filter.emailIn = query.emailsAnyOf;
    const afterSeq = decodeCursor(cursor);
    const [page, total] = await Promise.all([
      this.deps.store.contacts.list(actor.accountId, filter, { limit, afterSeq }),
      this.deps.store.contacts.count(actor.accountId, filter),
    ]);
    return { ...page, total };
  }

  protected phoneOrThrow(raw: string, path: string): string {
    const e164 = toE164(raw, this.deps.defaultRegion);
    if (e164 === null) throw invalidField(path, `"${raw}" is not a phone number`);
    return e164;
  }
}
