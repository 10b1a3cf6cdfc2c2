import { applyMergePatch, buildContactState, stateOf, type ContactState } from './contact-state.ts';
import { addressKeysOf, indexEntriesOf } from './contact-index.ts';
import { decodeCursor } from './cursor.ts';
import { DomainError, invalidField } from './errors.ts';
import { newId, nowIso } from './clock.ts';
import { mergeStates } from './merge.ts';
import { assertMayWriteType } from './permissions.ts';
import { toE164 } from './phones.ts';
import type { ContactFilter, Store } from './ports.ts';
import type { AddressBook, Contact, ContactInput, DuplicatePolicy, Page, Principal } from './types.ts';

/** How a create treats an existing contact sharing a phone or email. */
export interface DuplicateRule {
  policy: DuplicatePolicy;
  /** `book`: only contacts of the same address book count; `account`: any of the account's. */
  scope: 'book' | 'account';
}

export type CreateOutcome = 'created' | 'merged';

export interface CreateOptions {
  /** Overrides the book's own policy (a dialect selects its platform's rule). */
  duplicateRule?: DuplicateRule;
}

export interface ContactServiceDeps {
  store: Store;
  defaultRegion: string;
}

const MAX_LOOKUP_MATCHES = 50;

/** List filters as callers give them: `phone` in any format, `q` as typed. */
export type ContactQuery = Omit<ContactFilter, 'phoneE164' | 'termPrefix'> & { phone?: string; q?: string };

/** A search box's text as an index prefix: a phone-like query searches digits. */
export function searchPrefixOf(q: string): string {
  const text = q.trim().toLowerCase();
  return /^[+\d\s().-]+$/.test(text) && /\d/.test(text) ? text.replace(/\D/g, '') : text;
}

/** Contacts: create, read, change, delete, upsert, merge, list and lookup. */
export class ContactService {
  constructor(private readonly deps: ContactServiceDeps) {}

  async create(actor: Principal, input: ContactInput, options: CreateOptions = {}): Promise<{ contact: Contact; outcome: CreateOutcome }> {
    assertMayWriteType(actor, input.type ?? 'custom');
    return this.deps.store.transaction(async (tx) => {
      const book = await resolveBook(tx, actor.accountId, input.address_book_id);
      const state = await this.buildState(tx, actor, { ...input, address_book_id: book.id });
      return createWithRule(tx, actor.accountId, state, options.duplicateRule ?? { policy: book.duplicate_policy, scope: 'book' }, book);
    });
  }

  async get(actor: Principal, id: string): Promise<Contact> {
    return findOrThrow(this.deps.store, actor.accountId, id);
  }

  /** JSON merge patch; `ifMatch` is the version the caller last saw (412 when stale). */
  async patch(actor: Principal, id: string, patch: ContactInput, ifMatch?: number): Promise<Contact> {
    return this.deps.store.transaction(async (tx) => {
      const seen = await findOrThrow(tx, actor.accountId, id);
      const current = await lockForChange(tx, seen, patch.address_book_id ?? seen.address_book_id);
      assertVersion(current, ifMatch);
      assertMayWriteType(actor, current.type);
      assertMayWriteType(actor, patch.type ?? current.type);
      if (current.status === 'merged') throw new DomainError('contact_not_active', `contact ${id} was merged into ${current.merged_into}; change that one`);
      const input = applyMergePatch(current, patch);
      await resolveBook(tx, actor.accountId, input.address_book_id);
      const state = await this.buildState(tx, actor, input);
      await this.rejectDuplicatesOnChange(tx, actor, current, state);
      return saveChanged(tx, current, state);
    });
  }

  async delete(actor: Principal, id: string, ifMatch?: number): Promise<void> {
    await this.deps.store.transaction(async (tx) => {
      const current = await lockForChange(tx, await findOrThrow(tx, actor.accountId, id));
      assertVersion(current, ifMatch);
      assertMayWriteType(actor, current.type);
      await tx.contacts.delete(current);
    });
  }

  /** Create or replace by external id: one contact per external id, however many callers race. */
  async putByExternalId(actor: Principal, externalId: string, input: ContactInput): Promise<{ contact: Contact; created: boolean }> {
    assertMayWriteType(actor, input.type ?? 'custom');
    return this.deps.store.transaction(async (tx) => {
      await tx.lock(`external:${actor.accountId}:${externalId}`);
      const existing = await tx.contacts.findByExternalId(actor.accountId, externalId);
      const book = await resolveBook(tx, actor.accountId, input.address_book_id ?? existing?.address_book_id);
      const state = await this.buildState(tx, actor, { ...input, address_book_id: book.id, external_id: externalId });
      if (!existing) {
        const { contact, outcome } = await createWithRule(tx, actor.accountId, state, { policy: book.duplicate_policy, scope: 'book' }, book);
        return { contact, created: outcome === 'created' };
      }
      const current = await lockForChange(tx, existing, book.id);
      assertMayWriteType(actor, current.type);
      if (current.status === 'merged') throw new DomainError('contact_not_active', `contact ${current.id} was merged into ${current.merged_into}; change that one`);
      await this.rejectDuplicatesOnChange(tx, actor, current, state);
      return { contact: await saveChanged(tx, current, state), created: false };
    });
  }

  /** Folds the sources into the target; each source keeps its record as `merged` into the target. */
  async merge(actor: Principal, targetId: string, sourceIds: string[]): Promise<Contact> {
    if (sourceIds.includes(targetId)) throw invalidField('source_ids', 'must not include the surviving contact');
    const uniqueSources = [...new Set(sourceIds)];
    return this.deps.store.transaction(async (tx) => {
      // Book rule first, then contacts: the lock order every change follows.
      await tx.lock(`duplicates:${(await findOrThrow(tx, actor.accountId, targetId)).address_book_id}`);
      for (const id of [targetId, ...uniqueSources].sort()) await tx.lock(`contact:${id}`);
      const target = await findOrThrow(tx, actor.accountId, targetId);
      if (target.status !== 'active') throw new DomainError('contact_not_active', `contact ${targetId} is ${target.status}`);
      const sources = await tx.contacts.findMany(actor.accountId, uniqueSources);
      const missing = uniqueSources.filter((id) => !sources.some((s) => s.id === id && s.status === 'active'));
      if (missing.length > 0) throw invalidField('source_ids', `no active contact with id ${missing.join(', ')}`);
      for (const c of [target, ...sources]) assertMayWriteType(actor, c.type);

      let state = stateOf(target);
      for (const source of sources) state = mergeStates(state, stateOf(source));
      const now = nowIso();
      for (const source of sources) {
        const retired: Contact = { ...source, status: 'merged', merged_into: target.id, version: source.version + 1, updated_at: now };
        await tx.contacts.update(retired, indexEntriesOf(retired), source.version);
      }
      // Sources from other books may bring addresses a third contact of a `reject` book holds.
      await this.rejectDuplicatesOnChange(tx, actor, target, state);
      return saveChanged(tx, target, state);
    });
  }

  /** Live contacts matching every given filter, in creation order; `phone` may be in any format. */
  async list(actor: Principal, query: ContactQuery, limit: number, cursor?: string): Promise<Page<Contact>> {
    const { phone, q, status = 'active', ...rest } = query;
    const filter: ContactFilter = { status, ...rest };
    if (phone !== undefined) filter.phoneE164 = this.phoneOrThrow(phone, 'phone');
    if (q !== undefined) filter.termPrefix = searchPrefixOf(q);
    return this.deps.store.contacts.list(actor.accountId, filter, { limit, afterSeq: decodeCursor(cursor) });
  }

  /** Screen pop: live contacts holding this phone (any format) or email, most recently updated first. */
  async lookup(actor: Principal, key: { phone?: string; email?: string }): Promise<Contact[]> {
    if ((key.phone === undefined) === (key.email === undefined)) throw invalidField('phone', 'give exactly one of phone or email');
    return key.phone !== undefined
      ? this.deps.store.contacts.lookup(actor.accountId, 'phone', this.phoneOrThrow(key.phone, 'phone'), MAX_LOOKUP_MATCHES)
      : this.deps.store.contacts.lookup(actor.accountId, 'email', key.email!.trim().toLowerCase(), MAX_LOOKUP_MATCHES);
  }

  private phoneOrThrow(raw: string, path: string): string {
    const e164 = toE164(raw, this.deps.defaultRegion);
    if (e164 === null) throw invalidField(path, `"${raw}" is not a phone number`);
    return e164;
  }

  private async buildState(tx: Store, actor: Principal, input: ContactInput & { address_book_id: string }): Promise<ContactState> {
    const fields = await tx.customFields.listAll(actor.accountId);
    const state = buildContactState(input, { region: this.deps.defaultRegion, customFields: new Map(fields.map((f) => [f.key, f])) });
    if (state.group_ids.length > 0) {
      const groups = await tx.groups.findMany(actor.accountId, state.group_ids);
      const unknown = state.group_ids.filter((g) => !groups.some((known) => known.id === g));
      if (unknown.length > 0) throw invalidField('group_ids', `no group with id ${unknown.join(', ')}`);
    }
    return state;
  }

  /** A change that adds an address already held in a `reject` or `merge` book is refused. */
  private async rejectDuplicatesOnChange(tx: Store, actor: Principal, current: Contact, state: ContactState): Promise<void> {
    const book = await resolveBook(tx, actor.accountId, state.address_book_id);
    if (book.duplicate_policy === 'allow') return;
    const others = (await findDuplicates(tx, actor.accountId, state, { policy: book.duplicate_policy, scope: 'book' }, book)).filter((c) => c.id !== current.id);
    if (others.length > 0) throw duplicateError(others[0]!);
  }
}

/**
 * Inserts a new contact under a duplicate rule: in a `reject` scope a shared phone or email is a
 * 409; in a `merge` scope the new data folds into the one contact holding it (several: 409).
 */
async function createWithRule(tx: Store, accountId: string, state: ContactState, rule: DuplicateRule, book: AddressBook): Promise<{ contact: Contact; outcome: CreateOutcome }> {
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
      if (state.external_id !== null && target.external_id !== null && state.external_id !== target.external_id) throw duplicateError(target);
      const merged = mergeStates(stateOf(target), state);
      merged.external_id = target.external_id ?? state.external_id;
      return { contact: await saveChanged(tx, target, merged), outcome: 'merged' };
    }
  }
  return { contact: await insertContact(tx, accountId, state), outcome: 'created' };
}

async function resolveBook(tx: Store, accountId: string, bookId: string | undefined): Promise<AddressBook> {
  const book = bookId === undefined ? await tx.addressBooks.findDefault(accountId) : await tx.addressBooks.find(accountId, bookId);
  if (!book) throw invalidField('address_book_id', `no address book with id ${bookId}`);
  return book;
}

async function findOrThrow(store: Store, accountId: string, id: string): Promise<Contact> {
  const contact = await store.contacts.find(accountId, id);
  if (!contact) throw new DomainError('contact_not_found', `no contact with id ${id}`);
  return contact;
}

/**
 * Takes the locks a change needs and reads the contact again under them. Duplicate-rule locks
 * of the books involved come first, in a fixed order, then the contact's own: creates (which
 * take a book's lock, then maybe a contact's) and changes never wait on each other in a cycle.
 */
async function lockForChange(tx: Store, seen: Contact, newBookId: string = seen.address_book_id): Promise<Contact> {
  for (const bookId of [...new Set([seen.address_book_id, newBookId])].sort()) await tx.lock(`duplicates:${bookId}`);
  await tx.lock(`contact:${seen.id}`);
  return findOrThrow(tx, seen.account_id, seen.id);
}

async function findDuplicates(tx: Store, accountId: string, state: ContactState, rule: DuplicateRule, book: AddressBook): Promise<Contact[]> {
  const keys = addressKeysOf(state);
  if (keys.length === 0) return [];
  await tx.lock(rule.scope === 'book' ? `duplicates:${book.id}` : `duplicates:account:${accountId}`);
  return tx.contacts.findByAddresses(accountId, keys, rule.scope === 'book' ? book.id : undefined);
}

async function insertContact(tx: Store, accountId: string, state: ContactState): Promise<Contact> {
  const now = nowIso();
  const contact = { ...state, id: newId(), account_id: accountId, status: 'active' as const, merged_into: null, version: 1, created_at: now, updated_at: now };
  return tx.contacts.insert(contact, indexEntriesOf(contact));
}

async function saveChanged(tx: Store, current: Contact, state: ContactState): Promise<Contact> {
  const next: Contact = { ...current, ...state, version: current.version + 1, updated_at: laterThan(current.updated_at) };
  const saved = await tx.contacts.update(next, indexEntriesOf(next), current.version);
  if (!saved) throw new DomainError('version_mismatch', `contact ${current.id} was changed by another request; read it again`);
  return next;
}

/** Now, or a millisecond after `previous`, so that "most recently updated" is a strict order. */
function laterThan(previous: string): string {
  const now = nowIso();
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}

function assertVersion(contact: Contact, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== contact.version) {
    throw new DomainError('version_mismatch', `contact ${contact.id} is at version ${contact.version}, not ${ifMatch}`, [], { current_version: contact.version });
  }
}

function duplicateError(existing: Contact): DomainError {
  return new DomainError('duplicate_contact', `contact ${existing.id} already holds one of these phone numbers or emails`, [], {
    existing_contact_id: existing.id,
  });
}
