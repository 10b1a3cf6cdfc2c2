import { WriteScope } from '../contacts/contact-writes.ts';
import { DomainError } from '../errors.ts';
import type { Store } from '../ports.ts';
import type { AddressBook, Principal } from '../types.ts';
import { withCards } from './card-reads.ts';
import { deleteCard, putCard } from './card-writes.ts';
import { queryCards, type CardQuery } from './card-query.ts';
import { changesSince, type CardChanges } from './card-sync.ts';
import type { CardEntry, CardsRenderContext, CardWrite, PutConditions } from './card.types.ts';

export type { CardQuery, CardChanges };

/** Names a contact made elsewhere has: its id. Other names are a client's, found in contact_cards. */
const CONTACT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Contacts as CardDAV cards: an address book's members under the names clients gave them, and
 * writes that keep a client's name, UID and unmodeled properties beside the contact. Every write
 * goes through the contact rules (duplicate policy, versions, the journal).
 */
export class CardService {
  constructor(private readonly store: Store, private readonly defaultRegion: string) {}

  /** The account's address books, all of them (accounts hold a handful). */
  async books(actor: Principal): Promise<AddressBook[]> {
    const books: AddressBook[] = [];
    let afterSeq: number | undefined;
    for (;;) {
      const page = await this.store.addressBooks.list(actor.accountId, { limit: 200, ...(afterSeq === undefined ? {} : { afterSeq }) });
      books.push(...page.items);
      if (page.nextCursor === null || page.items.length === 0) return books;
      afterSeq = page.items[page.items.length - 1]!.seq;
    }
  }

  /** The account's name: what a client shows for the principal. */
  async accountName(actor: Principal): Promise<string> {
    return (await this.store.accounts.find(actor.accountId))?.name ?? actor.accountId;
  }

  async book(actor: Principal, bookId: string): Promise<AddressBook> {
    const book = await this.store.addressBooks.find(actor.accountId, bookId);
    if (!book) throw new DomainError('address_book_not_found', `no address book with id ${bookId}`);
    return book;
  }

  /** The book's live contacts in creation order, a page at a time (memory stays flat for any book). */
  async *members(actor: Principal, bookId: string, pageSize = 500, afterSeq?: number): AsyncGenerator<CardEntry[]> {
    let after = afterSeq;
    for (;;) {
      const page = await this.store.contacts.list(actor.accountId, { addressBookId: bookId, status: 'active' }, { limit: pageSize, ...(after === undefined ? {} : { afterSeq: after }) });
      if (page.items.length > 0) yield await withCards(this.store, actor.accountId, page.items);
      if (page.nextCursor === null || page.items.length === 0) return;
      after = page.items[page.items.length - 1]!.seq;
    }
  }

  /** The cards of the book under these names (names not there are absent from the map). */
  async findByNames(actor: Principal, bookId: string, names: string[]): Promise<Map<string, CardEntry>> {
    return findByNames(this.store, actor.accountId, bookId, names);
  }

  async find(actor: Principal, bookId: string, name: string): Promise<CardEntry | undefined> {
    return (await this.findByNames(actor, bookId, [name])).get(name);
  }

  /** PUT: creates the card under this name, or replaces the one there (see putCard). */
  async put(actor: Principal, bookId: string, name: string, write: CardWrite, conditions: PutConditions): Promise<{ entry: CardEntry; created: boolean; merged?: boolean }> {
    return this.store.transaction(async (tx) => {
      const scope = new WriteScope(tx, actor, this.defaultRegion);
      const book = await tx.addressBooks.find(actor.accountId, bookId);
      if (!book) throw new DomainError('address_book_not_found', `no address book with id ${bookId}`);
      // Two PUTs of one new name must not make two contacts: the name is locked, then read.
      await tx.lock(`card:${actor.accountId}:${name}`);
      const existing = (await findByNames(tx, actor.accountId, bookId, [name])).get(name);
      if (!existing) await assertNameFree(tx, actor.accountId, name);
      return putCard(scope, book, name, existing, write, conditions);
    });
  }

  async delete(actor: Principal, bookId: string, name: string, ifMatch?: number): Promise<void> {
    await this.store.transaction(async (tx) => {
      const existing = (await findByNames(tx, actor.accountId, bookId, [name])).get(name);
      if (!existing) throw new DomainError('contact_not_found', `no card named ${name} in this address book`);
      await deleteCard(tx, actor, existing, ifMatch);
    });
  }

  /** What writing and reading cards needs of the account: its group names (CATEGORIES) and custom fields (X-CONTACTD-*). */
  async context(actor: Principal): Promise<CardsRenderContext> {
    const groupNames = new Map<string, string>();
    let afterSeq: number | undefined;
    for (;;) {
      const page = await this.store.groups.list(actor.accountId, { limit: 500, ...(afterSeq === undefined ? {} : { afterSeq }) });
      for (const g of page.items) groupNames.set(g.id, g.name);
      if (page.nextCursor === null || page.items.length === 0) break;
      afterSeq = page.items[page.items.length - 1]!.seq;
    }
    return { groupNames, customFields: await this.store.customFields.listAll(actor.accountId) };
  }

  /**
   * What rendering these few cards needs, and no more: the names of their groups, and the custom
   * fields only when one of them has a value or kept properties (which may name one). A plain
   * contact's card needs no read at all.
   */
  async contextFor(actor: Principal, entries: CardEntry[]): Promise<CardsRenderContext> {
    const groupIds = [...new Set(entries.flatMap((e) => e.contact.group_ids))];
    const groups = groupIds.length === 0 ? [] : await this.store.groups.findMany(actor.accountId, groupIds);
    const needsFields = entries.some((e) => Object.keys(e.contact.custom_fields).length > 0 || (e.card?.properties.length ?? 0) > 0);
    return { groupNames: new Map(groups.map((g) => [g.id, g.name])), customFields: needsFields ? await this.store.customFields.listAll(actor.accountId) : [] };
  }

  /** A position up to which the account's journal is final: a sync token, and the books' ctag. */
  async position(actor: Principal): Promise<number> {
    return this.store.changes.lastPosition(actor.accountId);
  }

  /** What changed in the book after a position, from the journal (see changesSince); a position past `end` was never handed out. */
  async changes(actor: Principal, bookId: string, after: number, limit?: number): Promise<CardChanges> {
    return changesSince(this.store, actor.accountId, bookId, after, limit);
  }

  /** addressbook-query: the book's cards matching the query, at most `limit` (see queryCards). */
  async query(actor: Principal, bookId: string, query: CardQuery, limit: number): Promise<{ entries: CardEntry[]; truncated: boolean }> {
    return queryCards(this.store, this.defaultRegion, actor.accountId, bookId, query, limit);
  }

}

/** Resolves resource names in a book: a client's name, or the id of a contact that has none. */
async function findByNames(store: Store, accountId: string, bookId: string, names: string[]): Promise<Map<string, CardEntry>> {
  const found = new Map<string, CardEntry>();
  const rows = await store.cards.findEntriesByNames(accountId, names, names.filter((n) => CONTACT_ID.test(n)));
  // A name a card carries is that card's, wherever the card is: no contact is found by it as an id.
  const carried = new Set(rows.filter((r) => r.byName).map((r) => r.card!.name));
  for (const { contact, card, byName } of rows) {
    if (!byName && carried.has(contact.id)) continue;
    if (contact.status !== 'active' || contact.address_book_id !== bookId) continue;
    // A contact a client named is found under that name only.
    const name = card?.name ?? contact.id;
    if (names.includes(name)) found.set(name, { contact, card });
  }
  return found;
}

/**
 * A new card's name must not be another live card's. A deleted or merged-away contact gives its
 * name up (a client that deleted a card may make a new one under the same name); it keeps the rest.
 */
async function assertNameFree(tx: Store, accountId: string, name: string): Promise<void> {
  const holder = await tx.cards.findByName(accountId, name);
  if (holder) {
    const live = await tx.contacts.find(accountId, holder.contactId);
    if (live?.status === 'active') throw new DomainError('card_name_taken', `another address book of this account holds a card named ${name}.vcf`);
    await tx.cards.save({ ...holder, name: null });
  }
  if (CONTACT_ID.test(name) && (await tx.contacts.find(accountId, name))?.status === 'active') {
    throw new DomainError('card_name_taken', `${name}.vcf names a contact in another address book`);
  }
}
