import { newId, nowIso } from '../clock.ts';
import { decodeCursor } from '../cursor.ts';
import { DomainError } from '../errors.ts';
import { unitIdFor } from './unit.service.ts';
import { buryContact } from '../contacts/contact-tombstones.ts';
import { recordChange } from '../journal/journal.ts';
import type { Store } from '../ports.ts';
import type { AddressBook, DuplicatePolicy, Page, Principal } from '../types.ts';

export interface AddressBookInput {
  name: string;
  description?: string | null;
  duplicate_policy?: DuplicatePolicy;
  /** The unit the book goes into; absent: the account's default unit. */
  unit_id?: string;
}

export const DEFAULT_BOOK_NAME = 'Default';

/** Address books: named sets of contacts, each with its own duplicate policy. */
export class AddressBookService {
  constructor(private readonly store: Store) {}

  async create(actor: Principal, input: AddressBookInput): Promise<AddressBook> {
    return this.store.transaction((tx) => insertBook(tx, actor, input));
  }

  /**
   * The account's address book of this name, created on first use (Apptoto books by name,
   * Kore.ai streams). Callers racing for one name get the same book; `defaults` shape a new one only.
   */
  async findOrCreateByName(actor: Principal, name: string, defaults: Omit<AddressBookInput, 'name'> = {}): Promise<AddressBook> {
    return this.store.transaction(async (tx) => {
      await tx.lock(`book-name:${actor.accountId}:${name}`);
      return (await tx.addressBooks.findByName(actor.accountId, name)) ?? insertBook(tx, actor, { ...defaults, name });
    });
  }

  /** The account's address book of this name, if there is one (reads that must not create it). */
  async findByName(actor: Principal, name: string): Promise<AddressBook | undefined> {
    return this.store.addressBooks.findByName(actor.accountId, name);
  }

  async get(actor: Principal, id: string): Promise<AddressBook> {
    return findBookOrThrow(this.store, actor.accountId, id);
  }

  /** The book named by `id`, or the account's default book when no id is given. */
  async getOrDefault(actor: Principal, id?: string): Promise<AddressBook> {
    if (id !== undefined) return findBookOrThrow(this.store, actor.accountId, id);
    const book = await this.store.addressBooks.findDefault(actor.accountId);
    if (!book) throw new DomainError('address_book_not_found', 'the account has no default address book');
    return book;
  }

  /** By the integer id that 8x8 and Apptoto show. */
  async getBySeq(actor: Principal, seq: number): Promise<AddressBook> {
    const book = await this.store.addressBooks.findBySeq(actor.accountId, seq);
    if (!book) throw new DomainError('address_book_not_found', `no address book with id ${seq}`);
    return book;
  }

  async list(actor: Principal, limit: number, cursor?: string): Promise<Page<AddressBook>> {
    return this.store.addressBooks.list(actor.accountId, { limit, afterSeq: decodeCursor(cursor) });
  }

  async update(actor: Principal, id: string, patch: Partial<AddressBookInput>): Promise<AddressBook> {
    return this.store.transaction(async (tx) => {
      const book = await findBookOrThrow(tx, actor.accountId, id);
      if (patch.name !== undefined && patch.name !== book.name) await assertNameFree(tx, actor.accountId, patch.name);
      const updated = await tx.addressBooks.update({
        ...book,
        name: patch.name ?? book.name,
        description: patch.description === undefined ? book.description : patch.description,
        duplicate_policy: patch.duplicate_policy ?? book.duplicate_policy,
        updated_at: nowIso(),
      });
      recordChange(tx, actor, 'address_book', 'updated', book, updated);
      return updated;
    });
  }

  /**
   * Refuses a book that still holds contacts unless `force`, which deletes them with it. The
   * default book stays: contacts created without a book, and platforms without books, go there.
   */
  async delete(actor: Principal, id: string, force: boolean): Promise<void> {
    await this.store.transaction(async (tx) => {
      const book = await findBookOrThrow(tx, actor.accountId, id);
      if (book.is_default) throw new DomainError('default_address_book', `address book ${id} is the account's default and cannot be deleted`);
      const count = await tx.contacts.countInBook(actor.accountId, id);
      if (count > 0 && !force) {
        throw new DomainError('address_book_not_empty', `address book ${id} holds ${count} contacts; delete them first or pass force=true`, [], { contact_count: count });
      }
      // Its contacts become tombstones, each journalled: restorable (into the default book) for the retention time.
      for (;;) {
        const { items } = await tx.contacts.list(actor.accountId, { addressBookId: id }, { limit: 500 });
        for (const contact of items) await buryContact(tx, actor, contact);
        if (items.length < 500) break;
      }
      await tx.addressBooks.delete(actor.accountId, id);
      recordChange(tx, actor, 'address_book', 'deleted', book, null);
    });
  }
}

async function insertBook(tx: Store, actor: Principal, input: AddressBookInput): Promise<AddressBook> {
  const accountId = actor.accountId;
  await assertNameFree(tx, accountId, input.name);
  const unitId = await unitIdFor(tx, accountId, input.unit_id);
  const now = nowIso();
  const book = await tx.addressBooks.insert({
    id: newId(),
    account_id: accountId,
    name: input.name,
    description: input.description ?? null,
    duplicate_policy: input.duplicate_policy ?? 'allow',
    is_default: false,
    unit_id: unitId,
    created_at: now,
    updated_at: now,
  });
  recordChange(tx, actor, 'address_book', 'created', null, book);
  return book;
}

async function findBookOrThrow(store: Store, accountId: string, id: string): Promise<AddressBook> {
  const book = await store.addressBooks.find(accountId, id);
  if (!book) throw new DomainError('address_book_not_found', `no address book with id ${id}`);
  return book;
}

async function assertNameFree(tx: Store, accountId: string, name: string): Promise<void> {
  if (await tx.addressBooks.findByName(accountId, name)) {
    throw new DomainError('duplicate_address_book', `an address book named "${name}" already exists`);
  }
}
