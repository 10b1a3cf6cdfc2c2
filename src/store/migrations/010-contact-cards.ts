import type { Kysely } from 'kysely';

/**
 * What a CardDAV client gave a contact beyond the core's fields (core/cards): the resource name it
 * chose (vdirsyncer PUTs `{uid}.vcf`, iOS a random name), its own UID, and the vCard properties the
 * core does not model, kept verbatim so that the card comes back as it was saved. One row per
 * contact that has any of these; a contact made elsewhere has none and is `{id}.vcf`. The row
 * stays while the contact is a tombstone (a restore brings it back whole); a purge removes it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contact_cards')
    .addColumn('contact_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    // The resource name without `.vcf`; null: the contact id is the name.
    .addColumn('name', 'text')
    .addColumn('uid', 'text')
    // JSON array of unfolded content lines.
    .addColumn('properties', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // A name names one resource in the account: a card keeps it when it moves to another book.
  await db.schema.createIndex('contact_cards_account_name').on('contact_cards').columns(['account_id', 'name']).unique().execute();
  await db.schema.createIndex('contact_cards_account_uid').on('contact_cards').columns(['account_id', 'uid']).execute();
}
