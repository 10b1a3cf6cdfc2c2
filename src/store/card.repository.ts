import { sql, type Kysely } from 'kysely';
import type { CardRecord, NamedCardEntry } from '../core/cards/card.types.ts';
import type { CardRepository } from '../core/ports.ts';
import { fromRow } from './contact.rows.ts';
import { precompile } from './precompiled.ts';
import type { ContactRow, Database } from './tables.ts';

type CardRow = Database['contact_cards'];

/** A contact's row with its card's columns beside it (null without a card), and how it was found. */
type EntryRow = ContactRow & { card_name: string | null; card_uid: string | null; card_properties: string | null; card_updated_at: string | null; by_name: number };

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

  async findEntriesByNames(accountId: string, names: string[], idNames: string[]): Promise<NamedCardEntry[]> {
    if (names.length === 0) return [];
    // One statement (a GET made five reads); one name, the common case, compiled once.
    let rows: EntryRow[];
    if (names.length === 1 && idNames.length === 0) rows = await selectEntryByName(this.db, accountId, names[0]!);
    else if (names.length === 1 && idNames.length === 1) rows = await selectEntryByNameOrId(this.db, accountId, names[0]!, accountId, idNames[0]!);
    else rows = await entriesQuery(this.db, accountId, names, idNames).execute();
    return rows.map(({ card_name, card_uid, card_properties, card_updated_at, by_name, ...contact }) => {
      const card = card_properties === null ? undefined : cardOf({ contact_id: contact.id, account_id: contact.account_id, name: card_name, uid: card_uid, properties: card_properties, updated_at: card_updated_at! });
      return { contact: fromRow(contact), card, byName: Number(by_name) === 1 };
    });
  }

  async findByUid(accountId: string, uid: string): Promise<CardRecord[]> {
    const rows = await this.db.selectFrom('contact_cards').selectAll().where('account_id', '=', accountId).where('uid', '=', uid).limit(100).execute();
    return rows.map(cardOf);
  }

  async remove(accountId: string, contactId: string): Promise<void> {
    await this.db.deleteFrom('contact_cards').where('account_id', '=', accountId).where('contact_id', '=', contactId).execute();
  }
}

const CARD_COLUMNS = ['k.name as card_name', 'k.uid as card_uid', 'k.properties as card_properties', 'k.updated_at as card_updated_at'] as const;

/** The cards carrying these names, and the contacts whose ids are `idNames`, each with its card if it has one. */
function entriesQuery(db: Kysely<Database>, accountId: string, names: string[], idNames: string[]) {
  const byName = db
    .selectFrom('contact_cards as k')
    .innerJoin('contacts as c', 'c.id', 'k.contact_id')
    .selectAll('c')
    .select([...CARD_COLUMNS, sql<number>`1`.as('by_name')])
    .where('k.account_id', '=', accountId)
    .where('k.name', 'in', names)
    .$castTo<EntryRow>();
  if (idNames.length === 0) return byName;
  return byName.unionAll(
    db
      .selectFrom('contacts as c')
      .leftJoin('contact_cards as k', 'k.contact_id', 'c.id')
      .selectAll('c')
      .select([...CARD_COLUMNS, sql<number>`0`.as('by_name')])
      .where('c.account_id', '=', accountId)
      .where('c.id', 'in', idNames)
      .$castTo<EntryRow>(),
  );
}

const selectEntryByName = precompile<[string, string], EntryRow>('cards.entry_by_name', (db) => entriesQuery(db, '', [''], []));
const selectEntryByNameOrId = precompile<[string, string, string, string], EntryRow>('cards.entry_by_name_or_id', (db) => entriesQuery(db, '', [''], ['']));

function rowOf(card: CardRecord): CardRow {
  return { contact_id: card.contactId, account_id: card.accountId, name: card.name, uid: card.uid, properties: JSON.stringify(card.properties), updated_at: card.updatedAt };
}

function cardOf(row: CardRow): CardRecord {
  return { contactId: row.contact_id, accountId: row.account_id, name: row.name, uid: row.uid, properties: JSON.parse(row.properties) as string[], updatedAt: row.updated_at };
}
