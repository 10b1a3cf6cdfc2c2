import type { ContactIndexEntries, IndexedContact } from '../ports.ts';
import { phoneSearchDigits } from '../phones.ts';
import type { Contact, Email, Messaging, Phone } from '../types.ts';

/** The lookup and search rows of a contact. Only live contacts are findable. */
export function indexEntriesOf(contact: Pick<Contact, 'status' | 'phone_numbers' | 'emails' | 'messaging' | 'display_name' | 'first_name' | 'last_name' | 'company'>): ContactIndexEntries {
  if (contact.status !== 'active') return { addresses: [], terms: [] };
  const addresses = addressKeysOf(contact);
  const terms = new Set<string>();
  for (const text of [contact.display_name, contact.first_name, contact.last_name, contact.company]) {
    for (const word of (text ?? '').toLowerCase().split(/[\s,.;:()"'/-]+/)) if (word !== '') terms.add(word);
  }
  for (const email of contact.emails) terms.add(email.address.toLowerCase());
  for (const phone of contact.phone_numbers) for (const digits of phoneSearchDigits(phone.e164)) terms.add(digits);
  for (const handle of contact.messaging) terms.add(handle.handle.toLowerCase());
  return { addresses, terms: [...terms] };
}

/** The contact with its index entries, as the store's `update` takes it (for the new state and the previous one). */
export function indexed(contact: Contact): IndexedContact {
  return { contact, index: indexEntriesOf(contact) };
}

/** The address keys (phones, emails, messaging handles) by which lookups and duplicate rules find a contact. */
export function addressKeysOf(contact: { phone_numbers: Phone[]; emails: Email[]; messaging: Messaging[] }) {
  return [
    ...contact.phone_numbers.map((p) => ({ kind: 'phone' as const, value: p.e164 })),
    ...contact.emails.map((e) => ({ kind: 'email' as const, value: e.address.toLowerCase() })),
    ...contact.messaging.map((m) => ({ kind: 'messaging' as const, value: messagingKey(m.channel, m.handle) })),
  ];
}

export function messagingKey(channel: string, handle: string): string {
  return `${channel}:${handle}`;
}
