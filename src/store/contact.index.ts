import type { Kysely } from 'kysely';
import type { AddressKind, ContactIndexEntries, IndexedContact } from '../core/ports.ts';
import type { Contact } from '../core/types.ts';
import { chunks, rowsPerStatement } from './contact.rows.ts';
import type { Database } from './tables.ts';

/** The rows that find a contact: its addresses (lookup, duplicate rules), search terms and group memberships. */

type Address = ContactIndexEntries['addresses'][number];

/** The index rows of many contacts in as few statements as the engines' parameter limits allow. */
export async function writeIndexRows(db: Kysely<Database>, contacts: Contact[], indexes: ContactIndexEntries[]): Promise<void> {
  await insertRows(db, {
    addresses: contacts.flatMap((c, i) => indexes[i]!.addresses.map((a) => addressRow(c, a))),
    terms: contacts.flatMap((c, i) => indexes[i]!.terms.map((term) => termRow(c, term))),
    members: contacts.flatMap((c) => c.group_ids.map((groupId) => memberRow(c, groupId))),
  });
}

/**
 * Brings one contact's index rows from those of `previous` to those of `next`: deletes the rows
 * that went away, inserts the new ones, and sends nothing for a table whose rows stay as they
 * are (adding a contact to a group writes one membership, not every term again). `previous` is
 * the contact as stored (the caller's version check on its row makes sure of it), so its rows
 * are known without reading them: they are what writeIndexRows, or this, made of it.
 */
export async function writeIndexChanges(db: Kysely<Database>, previous: IndexedContact, next: IndexedContact): Promise<void> {
  const contact = next.contact;
  const seq = contact.seq;
  // Address rows carry the book (lookups within a book): a move takes the rows that stay along.
  if (previous.contact.address_book_id !== contact.address_book_id && previous.index.addresses.length > 0) {
    await db.updateTable('contact_addresses').set({ address_book_id: contact.address_book_id }).where('contact_seq', '=', seq).execute();
  }
  const addresses = difference(previous.index.addresses, next.index.addresses, (a) => `${a.kind}:${a.value}`);
  const terms = difference(previous.index.terms, next.index.terms, (t) => t);
  const groups = difference(previous.contact.group_ids, contact.group_ids, (g) => g);

  // When nothing stays (a contact merged away), the rows go by the contact alone.
  if (addresses.removed.length > 0 && !addresses.keepsAny) await db.deleteFrom('contact_addresses').where('contact_seq', '=', seq).execute();
  else {
    for (const part of chunks(addresses.removed, rowsPerStatement(2))) {
      const byKind = new Map<AddressKind, string[]>();
      for (const a of part) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), a.value]);
      await db
        .deleteFrom('contact_addresses')
        .where('contact_seq', '=', seq)
        .where((eb) => eb.or([...byKind].map(([kind, values]) => eb.and([eb('kind', '=', kind), eb('value', 'in', values)]))))
        .execute();
    }
  }
  if (terms.removed.length > 0 && !terms.keepsAny) await db.deleteFrom('contact_terms').where('contact_seq', '=', seq).execute();
  else for (const part of chunks(terms.removed, rowsPerStatement(1))) await db.deleteFrom('contact_terms').where('contact_seq', '=', seq).where('term', 'in', part).execute();
  if (groups.removed.length > 0) await db.deleteFrom('group_members').where('contact_seq', '=', seq).where('group_id', 'in', groups.removed).execute();

  await insertRows(db, {
    addresses: addresses.added.map((a) => addressRow(contact, a)),
    terms: terms.added.map((term) => termRow(contact, term)),
    // A membership kept keeps its row, and so the time it began.
    members: groups.added.map((groupId) => memberRow(contact, groupId)),
  });
}

/** What `after` adds to `before` and what it drops (each once, by key), and whether any of `before` stays. */
function difference<T>(before: T[], after: T[], key: (item: T) => string): { removed: T[]; added: T[]; keepsAny: boolean } {
  const had = new Map(before.map((item) => [key(item), item]));
  const has = new Map(after.map((item) => [key(item), item]));
  return {
    removed: [...had].filter(([k]) => !has.has(k)).map(([, item]) => item),
    added: [...has].filter(([k]) => !had.has(k)).map(([, item]) => item),
    keepsAny: [...has.keys()].some((k) => had.has(k)),
  };
}

async function insertRows(
  db: Kysely<Database>,
  rows: { addresses: ReturnType<typeof addressRow>[]; terms: ReturnType<typeof termRow>[]; members: ReturnType<typeof memberRow>[] },
): Promise<void> {
  for (const part of chunks(rows.addresses, rowsPerStatement(5))) await db.insertInto('contact_addresses').values(part).execute();
  for (const part of chunks(rows.terms, rowsPerStatement(3))) await db.insertInto('contact_terms').values(part).execute();
  for (const part of chunks(rows.members, rowsPerStatement(4))) await db.insertInto('group_members').values(part).execute();
}

function addressRow(c: Contact, a: Address) {
  return { account_id: c.account_id, address_book_id: c.address_book_id, contact_seq: c.seq, kind: a.kind, value: a.value };
}

function termRow(c: Contact, term: string) {
  return { account_id: c.account_id, contact_seq: c.seq, term };
}

function memberRow(c: Contact, group_id: string) {
  return { account_id: c.account_id, contact_seq: c.seq, group_id, created_at: c.updated_at };
}
