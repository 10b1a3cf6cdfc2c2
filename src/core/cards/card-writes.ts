import { applyMergePatch } from '../contacts/contact-state.ts';
import { WriteScope, createWithRule, findOrThrow, lockForChange, rejectDuplicatesOnChange, saveChanged } from '../contacts/contact-writes.ts';
import { buryContact } from '../contacts/contact-tombstones.ts';
import { DomainError } from '../errors.ts';
import { nowIso } from '../clock.ts';
import { assertMayWriteType } from '../permissions.ts';
import type { Store } from '../ports.ts';
import { CONTACT_TEXT_FIELDS, type AddressBook, type Contact, type ContactInput, type ContactTextField, type Principal } from '../types.ts';
import type { CardEntry, CardRecord, CardWrite, PutConditions } from './card.types.ts';

/**
 * The contact fields a vCard carries (the standard ones, and contactd's own as X-CONTACTD-*): a
 * PUT replaces them all, and one absent from the card is cleared. The contact type stays as it is
 * unless the card names one.
 */
const CARD_TEXT_FIELDS: readonly ContactTextField[] = CONTACT_TEXT_FIELDS;
const CARD_LISTS = ['phone_numbers', 'emails', 'messaging'] as const;

/** The card's fields as a replacement of the contact's card-carried ones. */
export function replacementOf(card: CardWrite, groupIds: string[]): ContactInput {
  const input: ContactInput = { ...card.input, group_ids: groupIds };
  for (const field of CARD_TEXT_FIELDS) if (input[field] === undefined) input[field] = null;
  for (const list of CARD_LISTS) if (input[list] === undefined) input[list] = [];
  return input;
}

/** CATEGORIES names as group ids; names the account has no group for are kept as a property of the card. */
export async function groupsOf(tx: Store, accountId: string, names: string[]): Promise<{ groupIds: string[]; unknown: string[] }> {
  const groupIds: string[] = [];
  const unknown: string[] = [];
  for (const name of [...new Set(names)]) {
    const group = await tx.groups.findByName(accountId, name);
    if (group) groupIds.push(group.id);
    else unknown.push(name);
  }
  return { groupIds, unknown };
}

/**
 * Creates or replaces the card named `name` in `book`, in the caller's transaction, under the
 * book's duplicate policy; the name, the client's UID and the unmodeled properties are kept beside
 * the contact. `existing` is the card found under that name in the book (read under the name's lock).
 */
export async function putCard(scope: WriteScope, book: AddressBook, name: string, existing: CardEntry | undefined, write: CardWrite, conditions: PutConditions): Promise<{ entry: CardEntry; created: boolean; merged?: boolean }> {
  const { tx, actor } = scope;
  if (conditions.ifNoneMatch && existing) throw new DomainError('version_mismatch', `a card named ${name} exists already`);
  if ((conditions.ifMatch !== undefined || conditions.mustExist) && !existing) throw new DomainError('version_mismatch', `no card named ${name} to match`);
  const { groupIds, unknown } = await groupsOf(tx, actor.accountId, write.groupNames);
  const properties = unknown.length > 0 ? [...write.properties, `CATEGORIES:${unknown.map(escapeListValue).join(',')}`] : write.properties;
  const input = replacementOf(write, groupIds);
  if (!existing) {
    assertMayWriteType(actor, input.type ?? 'custom');
    const state = await scope.buildState({ ...input, address_book_id: book.id });
    const { contact, outcome } = await createWithRule(scope, state, { policy: book.duplicate_policy, scope: 'book' }, book);
    if (outcome === 'merged') {
      // A `merge` book folded the card into a contact already there: that contact keeps its own
      // name and UID (other clients know it by them) and gains the card's kept properties. The
      // client's name stays free; its next sync shows the merged contact.
      const kept = await tx.cards.find(actor.accountId, contact.id);
      const card = await saveCard(tx, contact, kept?.name ?? null, kept?.uid ?? null, [...new Set([...(kept?.properties ?? []), ...properties])]);
      return { entry: { contact, card }, created: true, merged: true };
    }
    const card = await saveCard(tx, contact, name === contact.id ? null : name, write.uid, properties);
    return { entry: { contact, card }, created: true };
  }
  const current = await lockForChange(tx, await findOrThrow(tx, actor.accountId, existing.contact.id));
  if (conditions.ifMatch !== undefined && conditions.ifMatch !== current.version) {
    throw new DomainError('version_mismatch', `card ${name} is at version ${current.version}, not ${conditions.ifMatch}`);
  }
  if (current.status !== 'active') throw new DomainError('contact_not_active', `contact ${current.id} is ${current.status}`);
  assertMayWriteType(actor, current.type);
  assertMayWriteType(actor, input.type ?? current.type);
  // Custom values are replaced whole, like the card's other fields (the card writes every one of them).
  const { custom_fields: customFields, ...rest } = input;
  const state = await scope.buildState({ ...applyMergePatch(current, rest), custom_fields: customFields ?? {} });
  await rejectDuplicatesOnChange(scope, current, state);
  // Always a new version, even when only unmodeled properties changed: the ETag and the sync token must move.
  const contact = await saveChanged(tx, actor, current, state);
  const card = await saveCard(tx, contact, existing.card?.name ?? (name === contact.id ? null : name), write.uid ?? existing.card?.uid ?? null, properties);
  return { entry: { contact, card }, created: false };
}

/** Deletes the card's contact: a tombstone, journalled; its card row stays for a restore. */
export async function deleteCard(tx: Store, actor: Principal, existing: CardEntry, ifMatch?: number): Promise<void> {
  const current = await lockForChange(tx, await findOrThrow(tx, actor.accountId, existing.contact.id));
  if (ifMatch !== undefined && ifMatch !== current.version) throw new DomainError('version_mismatch', `card is at version ${current.version}, not ${ifMatch}`);
  assertMayWriteType(actor, current.type);
  await buryContact(tx, actor, current);
}

async function saveCard(tx: Store, contact: Contact, name: string | null, uid: string | null, properties: string[]): Promise<CardRecord | undefined> {
  if (name === null && uid === null && properties.length === 0) {
    await tx.cards.remove(contact.account_id, contact.id);
    return undefined;
  }
  const card: CardRecord = { contactId: contact.id, accountId: contact.account_id, name, uid, properties, updatedAt: nowIso() };
  await tx.cards.save(card);
  return card;
}

/** A CATEGORIES value: commas and backslashes escaped (RFC 6350 §3.4). */
function escapeListValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\n/g, '\\n');
}
