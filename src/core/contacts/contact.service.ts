import { applyMergePatch, stateOf } from './contact-state.ts';
import { indexEntriesOf, indexed } from './contact-index.ts';
import {
  WriteScope,
  createWithRule,
  findOrThrow,
  lockForChange,
  newContact,
  rejectDuplicatesOnChange,
  addedAddressKeys,
  lockAccountAddresses,
  saveChanged,
  type CreateOutcome,
  type DuplicateRule,
} from './contact-writes.ts';
import { upsertIn, upsertMany, type UpsertOutcome, type UpsertPolicy, type UpsertRequest, type UpsertResult } from './contact-upsert.ts';
import { assertRequirements, type ContactRequirements } from './contact-requirements.ts';
import { ContactQueries, type ContactMatchQuery, type ContactQuery, type ContactServiceDeps } from './contact-queries.ts';
import { AddressBookService, type AddressBookInput } from '../directory/address-book.service.ts';
import { writeInChunks } from '../chunks.ts';
import { DomainError, invalidField, isItemFailure } from '../errors.ts';
import { nowIso } from '../clock.ts';
import { buryContact, purgeContact, restoreContact } from './contact-tombstones.ts';
import { unmergeContact, type UnmergeResult } from './contact-unmerge.ts';
import { recordChange } from '../journal/journal.ts';
import { assertMergeableFields, mergeStates, takeFromSources } from './merge.ts';
import { withNamePartsOfRename } from './name-parts.ts';
import { assertContactWritable, assertMayWriteType, assertTypeWritable, type WritePolicy } from '../permissions.ts';
import type { Store } from '../ports.ts';
import type { Contact, ContactInput, ContactType, DeletedContact, Page, Principal } from '../types.ts';
import { decodeCursor } from '../cursor.ts';

export type { CreateOutcome, DuplicateRule, UnmergeResult };

export interface CreateOptions {
  /** Overrides the book's own policy (a dialect selects its platform's rule). */
  duplicateRule?: DuplicateRule;
  /** The platform's writable contact types (see WritePolicy); absent: every type the key allows. */
  writableTypes?: readonly ContactType[];
  /** What the new contact must hold (see ContactRequirements). */
  requires?: ContactRequirements;
  /** Custom values of undefined keys define them as `string` fields, in the write's transaction (8x8). */
  freeFormCustomFields?: boolean;
  /**
   * The contact goes into the account's book of this name, made in the create's own transaction
   * when missing (Kore.ai streams): a refused create leaves no new book behind.
   */
  bookByName?: { name: string; defaults?: Omit<AddressBookInput, 'name'> };
}

/** One item of a batch: the contact and how it was stored, or why it was not. */
export type BatchOutcome = { contact: Contact; outcome: CreateOutcome } | { error: unknown };

export type { ContactMatchQuery, ContactQuery, ContactServiceDeps };

/** Items of a batch written per transaction: few commits, yet short waits for other requests. */
const BATCH_CHUNK = 100;

/** Contacts: create, change, delete, upsert and merge; reads (get, list, lookup) come from ContactQueries. */
export class ContactService extends ContactQueries {
  async create(actor: Principal, input: ContactInput, options: CreateOptions = {}): Promise<{ contact: Contact; outcome: CreateOutcome }> {
    return this.deps.store.transaction((tx) => this.createIn(this.scope(tx, actor, options.freeFormCustomFields), input, options));
  }

  /**
   * Creates every contact or none, in one transaction (Kore.ai's array body). A refused item
   * undoes the others; its error carries the item's index as `extra.item`.
   */
  async createAll(actor: Principal, inputs: ContactInput[], options: CreateOptions = {}): Promise<Contact[]> {
    return this.deps.store.transaction(async (tx) => {
      const scope = this.scope(tx, actor, options.freeFormCustomFields);
      const created: Contact[] = [];
      for (const [item, input] of inputs.entries()) {
        try {
          created.push((await this.createIn(scope, input, options)).contact);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          throw new DomainError(error.code, `item ${item}: ${error.detail}`, error.fieldErrors, { ...error.extra, item });
        }
      }
      return created;
    });
  }

  /**
   * Creates many contacts; each item succeeds or fails on its own, while the items share
   * transactions and the reads of account data. Items that no rule can refuse once validated
   * (an `allow` book, no external id) are inserted together; the others each get a savepoint.
   * Items given as errors (refused by the caller's own checks) are passed through in place.
   */
  async createMany(actor: Principal, items: (ContactInput | DomainError)[], options: CreateOptions = {}): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = new Array(items.length);
    await writeInChunks(outcomes, BATCH_CHUNK, (start, end) =>
      this.deps.store.transaction(async (tx) => {
        const scope = this.scope(tx, actor, options.freeFormCustomFields);
        const plain: { slot: number; contact: Omit<Contact, 'seq'> }[] = [];
        // Inserting the plain items before each ruled one keeps the batch's order in the book.
        const insertPlain = async () => {
          const saved = await tx.contacts.insertMany(plain.map((p) => p.contact), plain.map((p) => indexEntriesOf(p.contact)));
          saved.forEach((contact, i) => {
            outcomes[plain[i]!.slot] = { contact, outcome: 'created' };
            recordChange(tx, actor, 'contact', 'created', null, contact);
          });
          plain.length = 0;
        };
        for (let slot = start; slot < end; slot++) {
          const item = items[slot]!;
          try {
            if (item instanceof DomainError) throw item;
            // A book made by name for these creates goes with an item that fails its checks: refused items leave none behind.
            const { state, book, rule } = options.bookByName ? await tx.savepoint(() => this.prepareCreate(scope, item, options)) : await this.prepareCreate(scope, item, options);
            if (rule.policy === 'allow' && state.external_id === null) {
              plain.push({ slot, contact: newContact(actor.accountId, state) });
              continue;
            }
            await insertPlain();
            outcomes[slot] = await tx.savepoint(() => createWithRule(scope, state, rule, book));
          } catch (error) {
            if (!isItemFailure(error)) throw error;
            outcomes[slot] = { error };
          }
        }
        await insertPlain();
      }),
    );
    return outcomes;
  }

  /** JSON merge patch; `ifMatch` is the version the caller last saw (412 when stale). */
  async patch(actor: Principal, id: string, patch: ContactInput, ifMatch?: number, policy: WritePolicy = {}): Promise<Contact> {
    return this.deps.store.transaction(async (tx) => {
      const scope = this.scope(tx, actor, policy.freeFormCustomFields);
      const seen = await findOrThrow(tx, actor.accountId, id);
      if (policy.accountDuplicates?.scope === 'account') {
        // The addresses' locks before the contact's, in the order creates take them.
        const preview = await scope.buildState(applyMergePatch(seen, patch));
        await lockAccountAddresses(tx, actor.accountId, addedAddressKeys(seen, preview));
      }
      const current = await lockForChange(tx, seen, patch.address_book_id ?? seen.address_book_id);
      assertVersion(current, ifMatch);
      assertContactWritable(current, policy);
      assertMayWriteType(actor, current.type);
      assertMayWriteType(actor, patch.type ?? current.type);
      assertTypeWritable(current.type, policy);
      assertTypeWritable(patch.type ?? current.type, policy);
      assertNotMerged(current);
      const input = applyMergePatch(current, policy.renameSetsNameParts ? withNamePartsOfRename(current, patch) : patch);
      await scope.book(input.address_book_id);
      const state = await scope.buildState(input);
      assertRequirements(state, policy.requires);
      await rejectDuplicatesOnChange(scope, current, state, policy.accountDuplicates);
      return saveChanged(tx, actor, current, state);
    });
  }

  async delete(actor: Principal, id: string, ifMatch?: number, policy: WritePolicy = {}): Promise<void> {
    await this.deps.store.transaction(async (tx) => {
      const current = await lockForChange(tx, await findOrThrow(tx, actor.accountId, id));
      assertVersion(current, ifMatch);
      assertMayWriteType(actor, current.type);
      assertTypeWritable(current.type, policy);
      await buryContact(tx, actor, current);
    });
  }

  /**
   * Soft delete (Kore.ai): the record stays, with status `inactive`, but loses its index rows, so
   * lookup, search, lists and duplicate rules no longer see it. Only a live contact can be deactivated.
   */
  async deactivate(actor: Principal, id: string, policy: WritePolicy = {}): Promise<Contact> {
    return this.deps.store.transaction(async (tx) => {
      const current = await lockForChange(tx, await findOrThrow(tx, actor.accountId, id));
      assertContactWritable(current, policy);
      assertMayWriteType(actor, current.type);
      assertTypeWritable(current.type, policy);
      if (current.status !== 'active') throw new DomainError('contact_not_active', `contact ${id} is ${current.status}`);
      // The change's `before` is the active contact, so that the journal shows the status going.
      return saveChanged(tx, actor, current, { ...stateOf(current), status: 'inactive' });
    });
  }

  /** Create or replace by external id: one contact per external id, however many callers race. */
  async putByExternalId(actor: Principal, externalId: string, input: ContactInput): Promise<{ contact: Contact; created: boolean }> {
    assertMayWriteType(actor, input.type ?? 'custom');
    return this.deps.store.transaction(async (tx) => {
      const scope = this.scope(tx, actor);
      await tx.lock(`external:${actor.accountId}:${externalId}`);
      const existing = await tx.contacts.findByExternalId(actor.accountId, externalId);
      const book = await scope.book(input.address_book_id ?? existing?.address_book_id);
      const state = await scope.buildState({ ...input, address_book_id: book.id, external_id: externalId });
      if (!existing) {
        const { contact, outcome } = await createWithRule(scope, state, { policy: book.duplicate_policy, scope: 'book' }, book);
        return { contact, created: outcome === 'created' };
      }
      const current = await lockForChange(tx, existing, book.id);
      assertMayWriteType(actor, current.type);
      assertNotMerged(current);
      await rejectDuplicatesOnChange(scope, current, state);
      return { contact: await saveChanged(tx, actor, current, state), created: false };
    });
  }

  /**
   * Creates or changes one contact named by its integer id or external id (Apptoto's PUT): plain
   * fields patched, phones, emails and custom values replaced whole, never moved between books.
   */
  async upsert(actor: Principal, request: UpsertRequest, policy: UpsertPolicy): Promise<UpsertResult> {
    return this.deps.store.transaction((tx) => upsertIn(this.scope(tx, actor), request, policy));
  }

  /** `upsert` for many items, each succeeding or failing on its own. */
  async upsertMany(actor: Principal, items: (UpsertRequest | DomainError)[], policy: UpsertPolicy): Promise<UpsertOutcome[]> {
    return upsertMany(this.deps.store, (tx) => this.scope(tx, actor), items, policy);
  }

  /**
   * Folds the sources into the target; each source keeps its record as `merged` into the target.
   * `fieldsFromSource` names fields whose value the target takes from the sources instead of
   * keeping its own (the person's choice on the duplicates screen), in the same change, so that
   * an unmerge takes them back too.
   */
  async merge(actor: Principal, targetId: string, sourceIds: string[], fieldsFromSource: string[] = []): Promise<Contact> {
    if (sourceIds.includes(targetId)) throw invalidField('source_ids', 'must not include the surviving contact');
    assertMergeableFields(fieldsFromSource);
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
      state = takeFromSources(state, uniqueSources.map((id) => stateOf(sources.find((s) => s.id === id)!)), fieldsFromSource);
      const now = nowIso();
      for (const source of sources) {
        const retired: Contact = { ...source, status: 'merged', merged_into: target.id, version: source.version + 1, updated_at: now };
        await tx.contacts.update(indexed(retired), indexed(source));
        recordChange(tx, actor, 'contact', 'merged', source, retired, { merged_into: target.id });
      }
      // Sources from other books may bring addresses a third contact of a `reject` book holds.
      await rejectDuplicatesOnChange(this.scope(tx, actor), target, state);
      return saveChanged(tx, actor, target, state, { action: 'merged', meta: { source_ids: sources.map((s) => s.id) } });
    });
  }

  /**
   * Takes a merge back: the source is live again with what it held, and the survivor loses the
   * values that came only from it (those edited since the merge stay, listed in `not_restored`).
   */
  async unmerge(actor: Principal, survivorId: string, sourceId: string): Promise<UnmergeResult> {
    return unmergeContact(this.deps.store, actor, survivorId, sourceId);
  }

  /**
   * Deletes every listed contact or none: one unknown id (or, with `addressBookId`, one of
   * another book) is `contact_not_found` and nothing is deleted.
   */
  async deleteMany(actor: Principal, ids: string[], addressBookId?: string, policy: WritePolicy = {}): Promise<void> {
    const unique = [...new Set(ids)];
    await this.deps.store.transaction(async (tx) => {
      const seen = await tx.contacts.findMany(actor.accountId, unique);
      const missing = unique.filter((id) => !seen.some((c) => c.id === id && (addressBookId === undefined || c.address_book_id === addressBookId)));
      if (missing.length > 0) throw new DomainError('contact_not_found', `no contact with id ${missing.join(', ')}`, [], { contact_ids: missing });
      // Every book's lock, then every contact's, each in a fixed order: the order every change takes.
      for (const bookId of [...new Set(seen.map((c) => c.address_book_id))].sort()) await tx.lock(`duplicates:${bookId}`);
      for (const contact of [...seen].sort((a, b) => (a.id < b.id ? -1 : 1))) await tx.lock(`contact:${contact.id}`);
      for (const contact of seen) {
        const current = await findOrThrow(tx, actor.accountId, contact.id);
        assertMayWriteType(actor, current.type);
        assertTypeWritable(current.type, policy);
        await buryContact(tx, actor, current);
      }
    });
  }

  /** Brings a deleted contact back (see restoreContact). */
  async restore(actor: Principal, id: string): Promise<Contact> {
    return this.deps.store.transaction((tx) => restoreContact(tx, actor, id));
  }

  /** Erases a contact, live or deleted, and its personal data in the journal (admin: GDPR erasure). */
  async purge(actor: Principal, id: string): Promise<void> {
    if (!actor.scopes.includes('admin')) throw new DomainError('forbidden', 'purging a contact needs the admin scope');
    const purged = await this.deps.store.transaction((tx) => purgeContact(tx, actor, actor.accountId, id));
    if (!purged) throw new DomainError('contact_not_found', `no contact with id ${id}`);
  }

  /** Deleted contacts still within the retention time, in creation order. */
  async listDeleted(actor: Principal, limit: number, cursor?: string): Promise<Page<DeletedContact>> {
    const page = await this.deps.store.tombstones.list(actor.accountId, { limit, afterSeq: decodeCursor(cursor) });
    return { ...page, items: page.items.map((c) => ({ ...c, status: 'deleted' })) };
  }

  private scope(tx: Store, actor: Principal, freeFormCustomFields = false): WriteScope {
    return new WriteScope(tx, actor, this.deps.defaultRegion, freeFormCustomFields);
  }

  private async createIn(scope: WriteScope, input: ContactInput, options: CreateOptions): Promise<{ contact: Contact; outcome: CreateOutcome }> {
    const { state, book, rule } = await this.prepareCreate(scope, input, options);
    return createWithRule(scope, state, rule, book);
  }

  /** Everything a create checks before it writes: who may, which book, which rule, valid data. */
  private async prepareCreate(scope: WriteScope, input: ContactInput, options: CreateOptions) {
    assertMayWriteType(scope.actor, input.type ?? 'custom');
    assertTypeWritable(input.type ?? 'custom', options);
    const book = options.bookByName
      ? await new AddressBookService(scope.tx).findOrCreateByName(scope.actor, options.bookByName.name, options.bookByName.defaults)
      : await scope.book(input.address_book_id);
    const state = await scope.buildState({ ...input, address_book_id: book.id });
    assertRequirements(state, options.requires, input);
    const rule: DuplicateRule = options.duplicateRule ?? { policy: book.duplicate_policy, scope: 'book' };
    return { state, book, rule };
  }

}

function assertVersion(contact: Contact, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== contact.version) {
    throw new DomainError('version_mismatch', `contact ${contact.id} is at version ${contact.version}, not ${ifMatch}`, [], { current_version: contact.version });
  }
}

function assertNotMerged(contact: Contact): void {
  if (contact.status === 'merged') throw new DomainError('contact_not_active', `contact ${contact.id} was merged into ${contact.merged_into}; change that one`);
}
