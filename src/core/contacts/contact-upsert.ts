import { AddressBookService } from '../directory/address-book.service.ts';
import { applyMergePatch } from './contact-state.ts';
import { toE164 } from '../phones.ts';
import { WriteScope, createWithRule, lockForChange, rejectDuplicatesOnChange, saveChanged } from './contact-writes.ts';
import { writeInChunks } from '../chunks.ts';
import { DomainError, invalidField, isItemFailure } from '../errors.ts';
import { assertMayWriteType, assertTypeWritable, type WritePolicy } from '../permissions.ts';
import type { Store } from '../ports.ts';
import type { AddressBook, Contact, ContactInput, EmailInput, PhoneInput } from '../types.ts';

/**
 * Create-or-update of a contact named by its integer id (`seq`) or its external id, with the
 * rules Apptoto's PUT /contacts states: plain fields given are patched, while phone numbers,
 * emails and custom values given replace the stored ones whole; a contact never moves between
 * address books. One contact per external id in the account, however many callers race: the
 * external id's lock is taken first (then book rules, then the contact, the order every write
 * follows), and the unique constraint backs it up. A policy may also match a request that names
 * no contact by its phones and emails (`matchByAddress`, what imports use).
 */

/** Which contact a write means: its integer id, else its external id; neither: a new one. */
export interface ContactKey {
  seq?: number;
  externalId?: string;
}

/** An address book by integer id, or by name (created on first use when a contact is created). */
export interface BookRef {
  seq?: number;
  name?: string;
}

export interface UpsertRequest {
  key?: ContactKey;
  book?: BookRef;
  /** Fields to set; `address_book_id` is given by `book`, and `external_id` may be set here too. */
  input: Omit<ContactInput, 'address_book_id'>;
  /** Appended to the contact's phones and emails, after any replacement (Apptoto `add_phone`). */
  add?: { phones?: PhoneInput[]; emails?: EmailInput[] };
}

export interface UpsertPolicy extends WritePolicy {
  /** `create`: an external id already held is refused (a POST); `upsert`: that contact is changed (a PUT). */
  mode: 'create' | 'upsert';
  /** A new contact must name its address book; else it goes into the account's default book. */
  bookRequiredToCreate?: boolean;
  /** A contact created or changed must have a name (display, first or last): a change cannot clear it. */
  nameRequired?: boolean;
  /**
   * `upsert` only. A request naming no contact (neither id nor external id) changes the one live
   * contact of its address book sharing a phone number (E.164) or an email (any case) with it,
   * whatever the book's duplicate policy; with several, it is refused (`ambiguous_match`) and
   * nothing is written. No such contact: created as any other. Imports re-reading an export
   * without ids (Google, Outlook) thus make no duplicates.
   */
  matchByAddress?: boolean;
  /**
   * The request's book is where a new contact goes; a contact named by its id or external id is
   * changed in whichever book holds it (an import into one book updating the account's contacts).
   * Without it, naming another book is refused: a contact never moves between books.
   */
  bookOnlyForCreate?: boolean;
}

/** `previous`: the contact as it was before this change (absent for a create or a merge). */
export type UpsertResult = { contact: Contact; created: boolean; previous?: Contact };
export type UpsertOutcome = UpsertResult | { error: DomainError };

/** Items written per transaction, as ContactService.createMany does. */
const CHUNK = 100;

/** One item, inside the caller's transaction. */
export async function upsertIn(scope: WriteScope, request: UpsertRequest, policy: UpsertPolicy): Promise<UpsertResult> {
  const { tx, accountId } = scope;
  const key = request.key ?? {};
  const externalId = key.externalId ?? nonBlank(request.input.external_id);
  if (policy.mode === 'create' && key.seq !== undefined) throw invalidField('id', 'is given by the server; a create cannot name one');

  let existing: Contact | undefined;
  if (key.seq !== undefined) {
    existing = await tx.contacts.findBySeq(accountId, key.seq);
    if (!existing) throw new DomainError('contact_not_found', `no contact with id ${key.seq}`);
    if (externalId !== undefined && externalId !== existing.external_id) {
      await tx.lock(externalLockOf(accountId, externalId));
      const holder = await tx.contacts.findByExternalId(accountId, externalId);
      if (holder && holder.id !== existing.id) throw externalIdTaken(holder, externalId);
    }
  } else if (externalId !== undefined) {
    await tx.lock(externalLockOf(accountId, externalId));
    existing = await tx.contacts.findByExternalId(accountId, externalId);
    if (existing && policy.mode === 'create') throw externalIdTaken(existing, externalId);
  } else if (policy.mode === 'upsert' && policy.matchByAddress) {
    existing = await findByAddressMatch(scope, request);
  }
  const input = externalId === undefined ? request.input : { ...request.input, external_id: externalId };
  return existing ? changeIn(scope, existing, { ...request, input }, policy) : createIn(scope, { ...request, input }, policy);
}

/**
 * Many items, each succeeding or failing on its own (a failed item undoes only its own writes,
 * a book it created included). Items are written 100 to a transaction, each chunk taking its
 * locks up front (see lockChunk).
 */
export async function upsertMany(store: Store, scopeOf: (tx: Store) => WriteScope, items: (UpsertRequest | DomainError)[], policy: UpsertPolicy): Promise<UpsertOutcome[]> {
  const outcomes: UpsertOutcome[] = new Array(items.length);
  await writeInChunks(outcomes, CHUNK, (start, end) => {
    const chunk = items.slice(start, end);
    return store.transaction(async (tx) => {
      const scope = scopeOf(tx);
      await lockUpserts(scope, chunk, policy);
      for (const [i, item] of chunk.entries()) {
        try {
          if (item instanceof DomainError) throw item;
          outcomes[start + i] = await tx.savepoint(() => upsertIn(scope, item, policy));
        } catch (error) {
          if (!isItemFailure(error)) throw error;
          outcomes[start + i] = { error };
        }
      }
    });
  });
  return outcomes;
}

async function createIn(scope: WriteScope, request: UpsertRequest, policy: UpsertPolicy): Promise<UpsertResult> {
  const type = request.input.type ?? 'custom';
  assertMayWriteType(scope.actor, type);
  assertTypeWritable(type, policy);
  if (policy.bookRequiredToCreate && !request.book) throw invalidField('address_book', 'is required to create a contact (or address_book_id)');
  const book = request.book ? await bookOf(scope, request.book, true) : await scope.book(undefined);
  const input: ContactInput & { address_book_id: string } = {
    ...request.input,
    address_book_id: book.id,
    phone_numbers: [...(request.input.phone_numbers ?? []), ...(request.add?.phones ?? [])],
    emails: [...(request.input.emails ?? []), ...(request.add?.emails ?? [])],
  };
  const state = await scope.buildState(input);
  if (policy.nameRequired && state.display_name === null) throw invalidField('display_name', 'a new contact needs a name (or a first or last name)');
  const { contact, outcome } = await createWithRule(scope, state, { policy: book.duplicate_policy, scope: 'book' }, book);
  return { contact, created: outcome === 'created' };
}

async function changeIn(scope: WriteScope, seen: Contact, request: UpsertRequest, policy: UpsertPolicy): Promise<UpsertResult> {
  const current = await lockForChange(scope.tx, seen);
  assertMayWriteType(scope.actor, current.type);
  assertTypeWritable(current.type, policy);
  if (current.status === 'merged') throw new DomainError('contact_not_active', `contact ${current.seq} was merged into another contact; change that one`);
  if (request.book && !policy.bookOnlyForCreate) {
    const book = await bookOf(scope, request.book, false);
    if (book.id !== current.address_book_id) {
      const home = await scope.book(current.address_book_id);
      throw invalidField(request.book.seq !== undefined ? 'address_book_id' : 'address_book', `contact ${current.seq} is in address book ${home.seq}; a contact never moves between address books`);
    }
  }
  const { custom_fields: customFields, ...plain } = request.input;
  const input = applyMergePatch(current, plain);
  // Whole replacement, unlike the merge patch's key-by-key custom values.
  if (customFields !== undefined) input.custom_fields = customFields ?? {};
  appendTo(input, request.add);
  const state = await scope.buildState(input);
  if (policy.nameRequired && state.display_name === null) throw invalidField('display_name', 'a contact needs a name (or a first or last name); it cannot be cleared');
  await rejectDuplicatesOnChange(scope, current, state);
  return { contact: await saveChanged(scope.tx, scope.actor, current, state), created: false, previous: current };
}

/**
 * The contact `matchByAddress` names: the one live contact of the request's book holding one of
 * its phone numbers or emails. The book's duplicate lock is taken first (the order every write
 * follows: then the contact's), so two writers matching the same person take turns and the
 * second finds what the first created. Several holders: refused rather than guessed.
 */
async function findByAddressMatch(scope: WriteScope, request: UpsertRequest): Promise<Contact | undefined> {
  const keys = matchKeysOf(request.input, scope.region);
  if (keys.length === 0) return undefined;
  const book = await existingBookOf(scope, request.book);
  if (!book) return undefined;
  await scope.tx.lock(`duplicates:${book.id}`);
  const holders = await scope.tx.contacts.findByAddresses(scope.accountId, keys, book.id);
  if (holders.length > 1) {
    throw new DomainError('ambiguous_match', `${holders.length} contacts of this address book share these phone numbers or emails (${holders.map((c) => c.id).join(', ')}); merge them first, or give the row an external_id`, [], {
      existing_contact_ids: holders.map((c) => c.id),
    });
  }
  return holders[0];
}

/** A request's phones in E.164 and emails in lower case, as the address index holds them; unreadable ones are left to validation. */
function matchKeysOf(input: UpsertRequest['input'], region: string): { kind: 'phone' | 'email'; value: string }[] {
  const phones = (input.phone_numbers ?? []).map((p) => toE164(p.number, region)).filter((e): e is string => e !== null);
  const emails = (input.emails ?? []).map((e) => e.address.trim().toLowerCase()).filter((a) => a !== '');
  return [...[...new Set(phones)].map((value) => ({ kind: 'phone' as const, value })), ...[...new Set(emails)].map((value) => ({ kind: 'email' as const, value }))];
}

/** The book a reference names, if it exists (a book named but not there yet holds no contact). */
async function existingBookOf(scope: WriteScope, ref: BookRef | undefined): Promise<AddressBook | undefined> {
  if (!ref) return scope.book(undefined);
  if (ref.seq === undefined) return scope.tx.addressBooks.findByName(scope.accountId, ref.name?.trim() ?? '');
  return bookOf(scope, ref, false);
}

/** The book a reference names; by name it is created when missing, if `create`. */
async function bookOf(scope: WriteScope, ref: BookRef, create: boolean): Promise<AddressBook> {
  const { tx, actor, accountId } = scope;
  let book: AddressBook | undefined;
  if (ref.seq !== undefined) {
    book = await tx.addressBooks.findBySeq(accountId, ref.seq);
    if (!book) throw new DomainError('address_book_not_found', `no address book with id ${ref.seq}`, [{ path: 'address_book_id', message: `no address book with id ${ref.seq}` }]);
    if (ref.name !== undefined && ref.name.trim() !== book.name) throw invalidField('address_book', `address book ${ref.seq} is named "${book.name}", not "${ref.name}"`);
    return book;
  }
  const name = ref.name?.trim() ?? '';
  if (name === '') throw invalidField('address_book', 'must not be blank');
  // Inside our transaction: the book is undone with the item if the item fails.
  book = create ? await new AddressBookService(tx).findOrCreateByName(actor, name) : await tx.addressBooks.findByName(accountId, name);
  if (!book) throw invalidField('address_book', `no address book named "${name}"`);
  return book;
}

function appendTo(input: ContactInput, add: UpsertRequest['add']): void {
  if (add?.phones?.length) {
    const kept = input.phone_numbers ?? [];
    const primaryAdded = add.phones.some((p) => p.is_primary);
    input.phone_numbers = [...kept.map((p) => (primaryAdded ? { ...p, is_primary: false } : p)), ...add.phones];
  }
  if (add?.emails?.length) {
    const kept = input.emails ?? [];
    const primaryAdded = add.emails.some((e) => e.is_primary);
    input.emails = [...kept.map((e) => (primaryAdded ? { ...e, is_primary: false } : e)), ...add.emails];
  }
}

/**
 * Takes, in one global order, every lock the chunk's items are known to need: external ids, then
 * book names, then the duplicate rules of the books involved (a book an item matches by address
 * in, whatever its policy), then the contacts to be changed (each class sorted). Items take them
 * again as they go (a lock held is held), so two batches touching the same contacts in other
 * orders wait for each other instead of deadlocking.
 */
export async function lockUpserts(scope: WriteScope, items: (UpsertRequest | DomainError)[], policy: UpsertPolicy): Promise<void> {
  const { tx, accountId } = scope;
  const requests = items.filter((i): i is UpsertRequest => !(i instanceof DomainError));
  const externals = new Set<string>();
  const names = new Set<string>();
  for (const item of requests) {
    const externalId = item.key?.externalId ?? nonBlank(item.input.external_id);
    if (externalId !== undefined) externals.add(externalLockOf(accountId, externalId));
    const name = item.book?.seq === undefined ? item.book?.name?.trim() : undefined;
    if (name) names.add(`book-name:${accountId}:${name}`);
  }
  for (const lock of [...[...externals].sort(), ...[...names].sort()]) await tx.lock(lock);

  const books = new Set<string>();
  const contacts = new Set<string>();
  // Read once per chunk: an import's items all name the same book.
  const seen = new Map<string, Promise<AddressBook | undefined>>();
  const bookByRef = (ref: BookRef) => {
    const id = ref.seq !== undefined ? `seq:${ref.seq}` : `name:${ref.name?.trim() ?? ''}`;
    if (!seen.has(id)) seen.set(id, ref.seq !== undefined ? tx.addressBooks.findBySeq(accountId, ref.seq) : tx.addressBooks.findByName(accountId, ref.name?.trim() ?? ''));
    return seen.get(id)!;
  };
  for (const item of requests) {
    const key = item.key ?? {};
    const target = key.seq !== undefined ? await tx.contacts.findBySeq(accountId, key.seq) : key.externalId !== undefined ? await tx.contacts.findByExternalId(accountId, key.externalId) : undefined;
    if (target) {
      books.add(target.address_book_id);
      contacts.add(target.id);
    } else {
      const matching = policy.mode === 'upsert' && policy.matchByAddress === true && key.seq === undefined && (key.externalId ?? nonBlank(item.input.external_id)) === undefined;
      const book = item.book ? await bookByRef(item.book) : matching ? await tx.addressBooks.findDefault(accountId) : undefined;
      if (book && (book.duplicate_policy !== 'allow' || matching)) books.add(book.id);
    }
  }
  for (const id of [...books].sort()) await tx.lock(`duplicates:${id}`);
  for (const id of [...contacts].sort()) await tx.lock(`contact:${id}`);
}

/** The same lock putByExternalId takes. */
function externalLockOf(accountId: string, externalId: string): string {
  return `external:${accountId}:${externalId}`;
}

function externalIdTaken(holder: Contact, externalId: string): DomainError {
  return new DomainError('duplicate_external_id', `contact ${holder.seq} already has external_id "${externalId}"`, [{ path: 'external_id', message: 'is already used by another contact' }], {
    existing_contact_id: holder.id,
    existing_contact_seq: holder.seq,
  });
}

function nonBlank(value: string | null | undefined): string | undefined {
  return value === undefined || value === null || value.trim() === '' ? undefined : value;
}
