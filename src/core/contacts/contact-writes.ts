import { buildContactState, stateOf, type ContactState } from './contact-state.ts';
import { addressKeysOf, indexEntriesOf, indexed } from './contact-index.ts';
import { defineStringFieldsIn } from '../directory/custom-field.service.ts';
import { DomainError, invalidField } from '../errors.ts';
import { newId, nowIso } from '../clock.ts';
import { recordChange } from '../journal/journal.ts';
import { mergeStates } from './merge.ts';
import type { Store } from '../ports.ts';
import type { AddressBook, Contact, ContactInput, ContactStatus, CustomField, DuplicatePolicy, Principal } from '../types.ts';

/** How a create treats an existing contact sharing a phone, email or messaging handle. */
export interface DuplicateRule {
  policy: DuplicatePolicy;
  /** `book`: only contacts of the same address book count; `account`: any of the account's. */
  scope: 'book' | 'account';
  /**
   * A merge whose data brings an external id other than the target's: `refuse` (the default) is a
   * 409, `keepExisting` merges and keeps the target's (8x8: the existing contact's values stay).
   */
  externalIdConflict?: 'refuse' | 'keepExisting';
}

export type CreateOutcome = 'created' | 'merged';

/**
 * One transaction's view for writing contacts: the store, the caller, and the account data every
 * write checks against (custom fields, books, groups), read once per scope. A batch shares one
 * scope across its items, so a thousand contacts cost one read of each.
 */
export class WriteScope {
  private customFields?: Map<string, CustomField>;
  private readonly books = new Map<string, AddressBook | undefined>();
  private readonly groupIds = new Set<string>();

  constructor(
    readonly tx: Store,
    readonly actor: Principal,
    /** Where national phone numbers are read. */
    readonly region: string,
    /** Custom values of keys the account has not defined define them as `string` fields (8x8). */
    private readonly freeFormCustomFields = false,
  ) {}

  get accountId(): string {
    return this.actor.accountId;
  }

  /** The named address book of the account, or its default one; 400 naming the field otherwise. */
  async book(bookId: string | undefined): Promise<AddressBook> {
    const key = bookId ?? '';
    if (!this.books.has(key)) {
      const book = bookId === undefined ? await this.tx.addressBooks.findDefault(this.accountId) : await this.tx.addressBooks.find(this.accountId, bookId);
      this.books.set(key, book);
    }
    const book = this.books.get(key);
    if (!book) throw invalidField('address_book_id', bookId === undefined ? 'the account has no default address book' : `no address book with id ${bookId}`);
    return book;
  }

  /** Validates a complete input against the account's custom fields and groups. */
  async buildState(input: ContactInput & { address_book_id: string }): Promise<ContactState> {
    // The account's fields are read only for an input that has custom values: most creates have none.
    const hasCustomValues = Object.keys(input.custom_fields ?? {}).length > 0;
    if (hasCustomValues) this.customFields ??= new Map((await this.tx.customFields.listAll(this.accountId)).map((f) => [f.key, f]));
    let customFields = this.customFields ?? new Map<string, CustomField>();
    const undefinedKeys = Object.entries(input.custom_fields ?? {}).filter(([key, value]) => value !== null && !customFields.has(key)).map(([key]) => key);
    if (this.freeFormCustomFields && undefinedKeys.length > 0) {
      // Not cached: a savepoint that fails undoes these definitions, and the next item must not count on them.
      customFields = new Map(customFields);
      for (const field of await defineStringFieldsIn(this.tx, this.actor, undefinedKeys)) customFields.set(field.key, field);
    }
    const state = buildContactState(input, { region: this.region, customFields });
    const unchecked = state.group_ids.filter((g) => !this.groupIds.has(g));
    if (unchecked.length > 0) {
      const groups = await this.tx.groups.findMany(this.accountId, unchecked);
      for (const g of groups) this.groupIds.add(g.id);
      const unknown = unchecked.filter((g) => !this.groupIds.has(g));
      if (unknown.length > 0) throw invalidField('group_ids', `no group with id ${unknown.join(', ')}`);
    }
    return state;
  }
}

/**
 * Inserts a new contact under a duplicate rule: in a `reject` scope a shared phone, email or handle is a
 * 409; in a `merge` scope the new data folds into the one contact holding it (several: 409).
 */
export async function createWithRule(scope: WriteScope, state: ContactState, rule: DuplicateRule, book: AddressBook): Promise<{ contact: Contact; outcome: CreateOutcome }> {
  const { tx, accountId } = scope;
  if (rule.policy !== 'allow') {
    const existing = await findDuplicates(tx, accountId, state, rule, book);
    if (existing.length > 0 && rule.policy === 'reject') throw duplicateError(existing[0]!);
    if (existing.length > 1) {
      throw new DomainError('ambiguous_duplicate', `${existing.length} contacts share these addresses; merge them first`, [], {
        existing_contact_ids: existing.map((c) => c.id),
      });
    }
    if (existing.length === 1) {
      await tx.lock(`contact:${existing[0]!.id}`);
      const target = await findOrThrow(tx, accountId, existing[0]!.id);
      // The new data's external id joins the target when it has none; it cannot hold two.
      const conflict = state.external_id !== null && target.external_id !== null && state.external_id !== target.external_id;
      if (conflict && rule.externalIdConflict !== 'keepExisting') throw duplicateError(target);
      const merged = mergeStates(stateOf(target), state);
      merged.external_id = target.external_id ?? state.external_id;
      // What the create brought is kept as a merged-away record, so that the merge can be undone
      // (unmerge) like any other; the external id stays with the target when it took it.
      const source = await insertContact(tx, scope.actor, { ...state, external_id: merged.external_id === state.external_id ? null : state.external_id }, { status: 'merged', merged_into: target.id });
      const survivor = await saveChanged(tx, scope.actor, target, merged, { action: 'merged', meta: { source_ids: [source.id] } });
      return { contact: survivor, outcome: 'merged' };
    }
  }
  return { contact: await insertContact(tx, scope.actor, state), outcome: 'created' };
}

/** A change that adds an address already held by another contact of a `reject` or `merge` book is refused. */
export async function rejectDuplicatesOnChange(scope: WriteScope, current: Contact, state: ContactState, accountRule?: DuplicateRule): Promise<void> {
  const book = await scope.book(state.address_book_id);
  if (book.duplicate_policy !== 'allow') {
    const others = (await findDuplicates(scope.tx, scope.accountId, state, { policy: book.duplicate_policy, scope: 'book' }, book)).filter((c) => c.id !== current.id);
    if (others.length > 0) throw duplicateError(others[0]!);
  }
  // A platform whose creates merge across the account (8x8) keeps each address to one contact:
  // a change may not take on an address another contact holds.
  if (accountRule?.scope === 'account' && accountRule.policy !== 'allow') {
    const added = addedAddressKeys(current, state);
    if (added.length === 0) return;
    await lockAccountAddresses(scope.tx, scope.accountId, added);
    const others = (await scope.tx.contacts.findByAddresses(scope.accountId, added)).filter((c) => c.id !== current.id);
    if (others.length > 0) throw duplicateError(others[0]!);
  }
}

/** The address keys `state` holds that `current` does not. */
export function addedAddressKeys(current: Pick<Contact, 'phone_numbers' | 'emails' | 'messaging'>, state: ContactState) {
  const held = new Set(addressKeysOf(current).map((k) => `${k.kind}:${k.value}`));
  return addressKeysOf(state).filter((k) => !held.has(`${k.kind}:${k.value}`));
}

export async function findOrThrow(store: Store, accountId: string, id: string): Promise<Contact> {
  const contact = await store.contacts.find(accountId, id);
  if (!contact) throw new DomainError('contact_not_found', `no contact with id ${id}`);
  return contact;
}

/**
 * Takes the locks a change needs and reads the contact again under them. Duplicate-rule locks
 * of the books involved come first, in a fixed order, then the contact's own: creates (which
 * take a book's lock, then maybe a contact's) and changes never wait on each other in a cycle.
 */
export async function lockForChange(tx: Store, seen: Contact, newBookId: string = seen.address_book_id): Promise<Contact> {
  for (const bookId of [...new Set([seen.address_book_id, newBookId])].sort()) await tx.lock(`duplicates:${bookId}`);
  await tx.lock(`contact:${seen.id}`);
  return findOrThrow(tx, seen.account_id, seen.id);
}

async function findDuplicates(tx: Store, accountId: string, state: ContactState, rule: DuplicateRule, book: AddressBook): Promise<Contact[]> {
  const keys = addressKeysOf(state);
  if (keys.length === 0) return [];
  if (rule.scope === 'book') await tx.lock(`duplicates:${book.id}`);
  else await lockAccountAddresses(tx, accountId, keys);
  return tx.contacts.findByAddresses(accountId, keys, rule.scope === 'book' ? book.id : undefined);
}

/**
 * The locks of an account-wide rule: one per address, in a fixed order, so that creates sharing
 * an address are serialized while creates with different addresses run side by side (one lock
 * for the whole account made every create of the account wait for the previous one's commit).
 */
export async function lockAccountAddresses(tx: Store, accountId: string, keys: { kind: string; value: string }[]): Promise<void> {
  for (const key of [...new Set(keys.map((k) => `${k.kind}:${k.value}`))].sort()) await tx.lock(`duplicates:account:${accountId}:${key}`);
}

/** A new live contact of this state, not yet stored. */
export function newContact(accountId: string, state: ContactState): Omit<Contact, 'seq'> {
  const now = nowIso();
  return { ...state, id: newId(), account_id: accountId, status: 'active', merged_into: null, version: 1, created_at: now, updated_at: now };
}

/** Inserts a new contact (live, or a merged-away record) and journals it. */
async function insertContact(tx: Store, actor: Principal, state: ContactState, retired?: Pick<Contact, 'status' | 'merged_into'>): Promise<Contact> {
  const contact = { ...newContact(actor.accountId, state), ...retired };
  const saved = await tx.contacts.insert(contact, indexEntriesOf(contact));
  if (retired) recordChange(tx, actor, 'contact', 'merged', null, saved, { merged_into: retired.merged_into });
  else recordChange(tx, actor, 'contact', 'created', null, saved);
  return saved;
}

/** How a change is journalled: `updated` unless the write is a merge, a restore or an unmerge. */
export interface ChangeNote {
  action?: 'updated' | 'merged' | 'unmerged' | 'restored';
  meta?: Record<string, unknown>;
}

/**
 * Stores a new state of the contact (if no other writer got there first) and journals it; `status`
 * beside the state changes the contact's status too (Kore.ai's soft delete), so the change shows it.
 */
export async function saveChanged(tx: Store, actor: Principal, current: Contact, state: ContactState & { status?: ContactStatus }, note: ChangeNote = {}): Promise<Contact> {
  const next: Contact = { ...current, ...state, version: current.version + 1, updated_at: laterThan(current.updated_at) };
  const saved = await tx.contacts.update(indexed(next), indexed(current));
  if (!saved) throw new DomainError('version_mismatch', `contact ${current.id} was changed by another request; read it again`);
  recordChange(tx, actor, 'contact', note.action ?? 'updated', current, next, note.meta);
  return next;
}

/** Now, or a millisecond after `previous`, so that "most recently updated" is a strict order. */
function laterThan(previous: string): string {
  const now = nowIso();
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}

export function duplicateError(existing: Contact): DomainError {
  return new DomainError('duplicate_contact', `contact ${existing.id} already holds one of these phone numbers, emails or messaging handles`, [], {
    existing_contact_id: existing.id,
  });
}
