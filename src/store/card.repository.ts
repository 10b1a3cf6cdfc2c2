import type { Kysely } from 'kysely';
import type { CardRecord } from '../core/cards/card.types.ts';
import type { CardRepository } from '../core/ports.ts';
import type { Database } from './tables.ts';

type CardRow = Database['contact_cards'];

/** CardDAV clients' resource names, UIDs and unmodeled vCard properties (migration 010). */
export class KyselyCardRepository implements CardRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async save(card: CardRecord): Promise<void> {
    const row = rowOf(card);
    await this.db
      .insertInto('contact_cards')
      .values(row)
      .onConflict((oc) => oc.column('contact_id').doUpdateSet({ name: row.name, uid: row.uid, properties: row.properties, updated_at: row.updated_at }))
      .execute();
  }

  async find(accountId: string, contactId: string): Promise<CardRecord | undefined> {
    const row = await this.db.selectFrom('contact_cards').selectAll().where('account_id', '=', accountId).where('contact_id', '=', contactId).executeTakeFirst();
    return row && cardOf(row);
  }

  async findMany(accountId: string, contactIds: string[]): Promise<CardRecord[]> {
    if (contactIds.length === 0) return [];
    const rows = await this.db.selectFrom('contact_cards').selectAll().where('account_id', '=', accountId).where('contact_id', 'in', contactIds).execute();
    return rows.map(cardOf);
  }

  async findByName(accountId: string, name: string): Promise<CardRecord | undefined> {
    const row = await this.db.selectFrom('contact_cards').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
    return row && cardOf(row);
  }

  async findByNames(accountId: string, names: string[]): Promise<CardRecord[]> {
    if (names.length === 0) return [];
    const rows = await this.db.selectFrom('contact_cards').selectAll().where('account_id', '=', accountId).where('name', 'in', names).execute();
    return rows.map(cardOf);
  }

  async findByUid(accountId: string, uid: string): Promise<CardRecord[]> {
    const rows = await this.db.selectFrom('contact_cards').selectAll().where('account_id', '=', accountId).where('uid', '=', uid).limit(100).execute();
    return rows.map(cardOf);
  }

  async remove(accountId: string, contactId: string): Promise<void> {
    await this.db.deleteFrom('contact_cards').where('account_id', '=', accountId).where('contact_id', '=', contactId).execute();
  }
}

function rowOf(card: CardRecord): CardRow {
  return { contact_id: card.contactId, account_id: card.accountId, name: card.name, uid: card.uid, properties: JSON.stringify(card.properties), updated_at: card.updatedAt };
}

function cardOf(row: CardRow): CardRecord {
  return { contactId: row.contact_id, accountId: row.account_id, name: row.name, uid: row.uid, properties: JSON.parse(row.properties) as string[], updatedAt: row.updated_at };
}
