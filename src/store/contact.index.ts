import type { Kysely } from 'kysely';
import type { ContactIndexEntries } from '../core/ports.ts';
import type { Contact } from '../core/types.ts';
import { chunks, rowsPerStatement } from './contact.rows.ts';
import type { Database } from './tables.ts';

/** The rows that find a contact: its addresses (lookup, duplicate rules), search terms and group memberships. */

/** The index rows of many contacts in as few statements as the engines' parameter limits allow. */
export async function writeIndexRows(db: Kysely<Database>, contacts: Contact[], indexes: ContactIndexEntries[]): Promise<void> {
  const addresses = contacts.flatMap((c, i) =>
    indexes[i]!.addresses.map((a) => ({ account_id: c.account_id, address_book_id: c.address_book_id, contact_seq: c.seq, kind: a.kind, value: a.value })),
  );
  const terms = contacts.flatMap((c, i) => indexes[i]!.terms.map((term) => ({ account_id: c.account_id, contact_seq: c.seq, term })));
  const members = contacts.flatMap((c) => c.group_ids.map((group_id) => ({ account_id: c.account_id, contact_seq: c.seq, group_id, created_at: c.updated_at })));
  for (const rows of chunks(addresses, rowsPerStatement(5))) await db.insertInto('contact_addresses').values(rows).execute();
  for (const rows of chunks(terms, rowsPerStatement(3))) await db.insertInto('contact_terms').values(rows).execute();
  for (const rows of chunks(members, rowsPerStatement(4))) await db.insertInto('group_members').values(rows).execute();
}
