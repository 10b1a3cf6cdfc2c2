import { addressKeysOf, indexEntriesOf, indexed } from './contact-index.ts';
import { duplicateError } from './contact-writes.ts';
import { nowIso } from '../clock.ts';
import { DomainError } from '../errors.ts';
import { assertMayWriteType } from '../permissions.ts';
import { SYSTEM_ACTOR, actorOf, recordChange } from '../journal/journal.ts';
import type { ChangeActor } from '../journal/change.types.ts';
import type { Store } from '../ports.ts';
import type { AddressBook, Contact, Principal } from '../types.ts';

/**
 * Deleting a contact keeps it whole as a tombstone for the retention time: gone from every read
 * but its history and `status=deleted`, and restorable. A purge removes it for good and erases
 * its personal data from the journal, leaving a `purged` change that holds none.
 */

/** Deletes a live contact (locked by the caller): it becomes a tombstone, and the journal says so. */
export async function buryContact(tx: Store, actor: Principal, current: Contact): Promise<void> {
  await tx.tombstones.bury(current, nowIso());
  recordChange(tx, actor, 'contact', 'deleted', current, null);
}

/**
 * Brings a tombstone back as it was deleted, in its own book (the default one if that book is
 * gone) and its groups that still exist. Refused (409, naming the holder) when another contact
 * now holds its external id, or one of its addresses in a `reject` book.
 */
export async function restoreContact(tx: Store, actor: Principal, id: string): Promise<Contact> {
  await tx.lock(`contact:${id}`);
  const found = await tx.tombstones.find(actor.accountId, id);
  if (!found) {
    const live = await tx.contacts.find(actor.accountId, id);
    // Kore.ai's delete is a soft one (the record stays, INACTIVE): it is brought back here too.
    if (live?.status === 'inactive') return reactivateContact(tx, actor, live);
    if (live) throw new DomainError('contact_not_deleted', `contact ${id} is not deleted`);
    throw new DomainError('contact_not_found', `no deleted contact with id ${id}`);
  }
  const buried = found.contact;
  assertMayWriteType(actor, buried.type);
  const book = await bookToReturnTo(tx, actor.accountId, buried.address_book_id);
  await tx.lock(`duplicates:${book.id}`);
  if (buried.external_id !== null) await tx.lock(`external:${actor.accountId}:${buried.external_id}`);
  const restored = await returningContact(tx, { ...buried, address_book_id: book.id }, book);
  await tx.tombstones.raise(restored, indexEntriesOf(restored));
  recordChange(tx, actor, 'contact', 'restored', buried, restored);
  return restored;
}

/** A contact's own book if it is still there, else the account's default one. */
export async function bookToReturnTo(tx: Store, accountId: string, bookId: string): Promise<AddressBook> {
  const book = (await tx.addressBooks.find(accountId, bookId)) ?? (await tx.addressBooks.findDefault(accountId));
  if (!book) throw new DomainError('address_book_not_found', `address book ${bookId} is gone and the account has no default one`);
  return book;
}

/**
 * A contact coming back (restored, or unmerged) as it will be stored: in its groups that still
 * exist, one version on. Refused (409, naming the holder) when another contact now holds its
 * external id or, if it comes back live into a `reject` book, one of its addresses. The caller
 * holds the locks of the book's rule and of the external id.
 */
export async function returningContact(tx: Store, contact: Contact, book: AddressBook): Promise<Contact> {
  if (contact.external_id !== null) {
    const holder = await tx.contacts.findByExternalId(contact.account_id, contact.external_id);
    if (holder && holder.id !== contact.id) {
      throw new DomainError('duplicate_external_id', `contact ${holder.id} now holds external_id "${contact.external_id}"`, [], { existing_contact_id: holder.id });
    }
  }
  if (book.duplicate_policy === 'reject' && contact.status === 'active') {
    const holders = (await tx.contacts.findByAddresses(contact.account_id, addressKeysOf(contact), book.id)).filter((c) => c.id !== contact.id);
    if (holders.length > 0) throw duplicateError(holders[0]!);
  }
  const groups = contact.group_ids.length === 0 ? [] : await tx.groups.findMany(contact.account_id, contact.group_ids);
  return {
    ...contact,
    group_ids: contact.group_ids.filter((g) => groups.some((known) => known.id === g)),
    version: contact.version + 1,
    updated_at: nowIso(),
  };
}

/** A soft-deleted (inactive) contact made active again, unless a `reject` book's contact now holds one of its addresses. */
async function reactivateContact(tx: Store, actor: Principal, inactive: Contact): Promise<Contact> {
  assertMayWriteType(actor, inactive.type);
  await tx.lock(`duplicates:${inactive.address_book_id}`);
  const book = await tx.addressBooks.find(actor.accountId, inactive.address_book_id);
  if (book?.duplicate_policy === 'reject') {
    const holders = await tx.contacts.findByAddresses(actor.accountId, addressKeysOf(inactive), book.id);
    if (holders.length > 0) throw duplicateError(holders[0]!);
  }
  const active: Contact = { ...inactive, status: 'active', version: inactive.version + 1, updated_at: nowIso() };
  if (!(await tx.contacts.update(indexed(active), indexed(inactive)))) {
    throw new DomainError('version_mismatch', `contact ${inactive.id} was changed by another request; read it again`);
  }
  recordChange(tx, actor, 'contact', 'restored', inactive, active);
  return active;
}

/**
 * Removes a contact, live or deleted, for good, and erases its personal data from the journal;
 * the records merged into it go too (they hold the same person's data). Returns false when there
 * was none to purge.
 */
export async function purgeContact(tx: Store, by: Principal | ChangeActor, accountId: string, id: string, only: { deletedBefore?: string } = {}): Promise<boolean> {
  await tx.lock(`contact:${id}`);
  const live = only.deletedBefore === undefined ? await tx.contacts.find(accountId, id) : undefined;
  if (live) await tx.contacts.delete(live);
  else {
    // The sweep purges only what is still a tombstone past its retention (not one restored since).
    const buried = await tx.tombstones.find(accountId, id);
    if (!buried || (only.deletedBefore !== undefined && buried.deletedAt >= only.deletedBefore)) return false;
    await tx.tombstones.remove(accountId, id);
  }
  for (;;) {
    const merged = await tx.contacts.list(accountId, { status: 'merged', mergedInto: id }, { limit: 500 });
    for (const record of merged.items) await purgeContact(tx, by, accountId, record.id);
    if (merged.nextCursor === null) break;
  }
  // A CardDAV client's name, UID and unmodeled properties are the person's data too.
  await tx.cards.remove(accountId, id);
  await tx.changes.scrub(accountId, id);
  tx.changes.record(actorOf(by), { accountId, objectType: 'contact', objectId: id, action: 'purged', fields: null, snapshot: null });
  return true;
}


/** Purges tombstones older than the retention, a few at a time; returns how many. */
export async function purgeExpiredTombstones(store: Store, retentionDays: number, batch = 100): Promise<number> {
  const deletedBefore = new Date(Date.now() - retentionDays * 86_400_000).toISOString();
  let purged = 0;
  for (;;) {
    const expired = await store.tombstones.expired(deletedBefore, batch);
    if (expired.length === 0) return purged;
    // One transaction per contact: a sweep on another node takes others, never the same twice.
    for (const { accountId, id } of expired) {
      if (await store.transaction((tx) => purgeContact(tx, SYSTEM_ACTOR, accountId, id, { deletedBefore }))) purged++;
    }
    if (expired.length < batch) return purged;
  }
}
