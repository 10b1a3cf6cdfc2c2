import type { Store } from '../ports.ts';
import type { Contact } from '../types.ts';
import type { CardEntry } from './card.types.ts';

/** The contacts with their card rows (a client's name, UID and unmodeled properties), one query. */
export async function withCards(store: Store, accountId: string, contacts: Contact[]): Promise<CardEntry[]> {
  const cards = new Map((await store.cards.findMany(accountId, contacts.map((c) => c.id))).map((c) => [c.contactId, c]));
  return contacts.map((contact) => ({ contact, card: cards.get(contact.id) }));
}
