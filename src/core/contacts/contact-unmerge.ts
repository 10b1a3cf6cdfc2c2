import { indexed } from './contact-index.ts';
import { stateOf } from './contact-state.ts';
import { findOrThrow, saveChanged } from './contact-writes.ts';
import { DomainError } from '../errors.ts';
import type { Change } from '../journal/change.types.ts';
import { recordChange } from '../journal/journal.ts';
import { assertMayWriteType } from '../permissions.ts';
import type { Store } from '../ports.ts';
import type { Contact, Principal } from '../types.ts';
import { planUnmerge, type NotRestored } from './unmerge.ts';
import { bookToReturnTo, returningContact } from './contact-tombstones.ts';

/**
 * Unmerge: a merged-away record becomes a live contact again with what it held, and the survivor
 * loses what came only from it. The survivor's state before the merge comes from the journal
 * (its `merged` change naming the source); values edited on the survivor since then stay.
 */

export interface UnmergeResult {
  survivor: Contact;
  restored: Contact;
  not_restored: NotRestored[];
}

/** Changes read per page while walking a survivor's history back to the merge. */
const HISTORY_PAGE = 100;

export async function unmergeContact(store: Store, actor: Principal, survivorId: string, sourceId: string): Promise<UnmergeResult> {
  // A first look, unlocked, for the locks to take: the merge change never changes once written.
  const seen = await readPair(store, actor.accountId, survivorId, sourceId);
  const seenMerge = (await journalSinceMerge(store, actor.accountId, survivorId, sourceId)).merge;
  const externalBack = seenMerge && planUnmerge({ current: stateOf(seen.survivor), source: stateOf(seen.source), merge: seenMerge.fields, later: [], others: [] }).externalIdBack;

  return store.transaction(async (tx) => {
    // The order other writes take: an external id's lock, the books' rule locks, then the contacts'.
    if (externalBack !== undefined) await tx.lock(`external:${actor.accountId}:${externalBack}`);
    const bookIds = [...new Set([seen.survivor.address_book_id, seen.source.address_book_id])].sort();
    for (const bookId of bookIds) await tx.lock(`duplicates:${bookId}`);
    for (const id of [survivorId, sourceId].sort()) await tx.lock(`contact:${id}`);

    const { survivor, source } = await readPair(tx, actor.accountId, survivorId, sourceId);
    assertMayWriteType(actor, survivor.type);
    assertMayWriteType(actor, source.type);
    if (source.address_book_id !== seen.source.address_book_id || survivor.address_book_id !== seen.survivor.address_book_id) {
      throw new DomainError('version_mismatch', `contact ${survivorId} was moved by another request; try again`);
    }
    const { merge, later, otherSourceIds } = await journalSinceMerge(tx, actor.accountId, survivorId, sourceId);
    const others = (await tx.contacts.findMany(actor.accountId, otherSourceIds.filter((id) => id !== sourceId)))
      .filter((c) => c.status === 'merged' && c.merged_into === survivorId);
    const plan = planUnmerge({ current: stateOf(survivor), source: stateOf(source), merge: merge?.fields ?? null, later, others: others.map(stateOf) });
    if (plan.externalIdBack !== undefined && plan.externalIdBack !== externalBack) {
      throw new DomainError('version_mismatch', `contact ${survivorId} was changed by another request; try again`);
    }

    const meta = { survivor_id: survivorId, source_id: sourceId };
    // The survivor first: it may hand back an external id, which the source then takes.
    const savedSurvivor = await saveChanged(tx, actor, survivor, plan.survivor, { action: 'unmerged', meta });
    const restored = await restoreSource(tx, actor, source, plan.externalIdBack);
    const saved = await tx.contacts.update(indexed(restored), indexed(source));
    if (!saved) throw new DomainError('version_mismatch', `contact ${sourceId} was changed by another request; read it again`);
    recordChange(tx, actor, 'contact', 'unmerged', source, restored, meta);
    return { survivor: savedSurvivor, restored, not_restored: plan.notRestored };
  });
}

/** Both contacts, the source merged into the survivor; otherwise the caller learns which is wrong. */
async function readPair(store: Store, accountId: string, survivorId: string, sourceId: string): Promise<{ survivor: Contact; source: Contact }> {
  const survivor = await findOrThrow(store, accountId, survivorId);
  const source = await findOrThrow(store, accountId, sourceId);
  if (source.status !== 'merged' || source.merged_into !== survivorId) {
    throw new DomainError('not_merged_into', `contact ${sourceId} is not merged into ${survivorId}`, [], { merged_into: source.merged_into });
  }
  if (survivor.status !== 'active') throw new DomainError('contact_not_active', `contact ${survivorId} is ${survivor.status}`);
  return { survivor, source };
}

/**
 * The survivor's latest `merged` change that took the source in, the fields of every change of
 * the survivor since, and the sources merged into it from then on (whose values stay).
 */
async function journalSinceMerge(store: Store, accountId: string, survivorId: string, sourceId: string) {
  const later: Change['fields'][] = [];
  const otherSourceIds = new Set<string>();
  let before: number | undefined;
  for (;;) {
    const page = await store.changes.historyOf(accountId, survivorId, HISTORY_PAGE, before);
    for (const change of page) {
      const sources = change.action === 'merged' && Array.isArray(change.meta.source_ids) ? (change.meta.source_ids as string[]) : [];
      for (const id of sources) otherSourceIds.add(id);
      if (sources.includes(sourceId)) return { merge: change, later: later.filter(isFields), otherSourceIds: [...otherSourceIds] };
      // A delete and its restore take every value away and back: no edit of any.
      if (change.action !== 'deleted' && change.action !== 'restored') later.push(change.fields);
    }
    if (page.length < HISTORY_PAGE) return { merge: undefined, later: later.filter(isFields), otherSourceIds: [...otherSourceIds] };
    before = page[page.length - 1]!.position;
  }
}

function isFields(fields: Change['fields']): fields is NonNullable<Change['fields']> {
  return fields !== null;
}

/**
 * The source as a live contact again: in its book (the default one if that is gone), in its
 * groups that still exist, with the external id the survivor gave back. Refused (409, naming the
 * holder) when another contact now holds that external id or, in a `reject` book, its addresses.
 */
async function restoreSource(tx: Store, actor: Principal, source: Contact, externalIdBack: string | undefined): Promise<Contact> {
  const book = await bookToReturnTo(tx, actor.accountId, source.address_book_id);
  const live: Contact = { ...source, status: 'active', merged_into: null, address_book_id: book.id, external_id: externalIdBack ?? source.external_id };
  return returningContact(tx, live, book);
}
