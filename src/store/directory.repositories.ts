import { sql, type Kysely } from 'kysely';
import type { AccountRepository, AddressBookRepository, ApiKeyRepository, CustomFieldRepository, GroupRepository, PageRequest } from '../core/ports.ts';
import type { Account, AddressBook, ApiKey, CustomField, Group, Page, Scope } from '../core/types.ts';
import { pageOf } from './contact.rows.ts';
import { isPossibleSeq, type EngineName } from './engine.ts';
import { REVOCATION_CHANNEL, type KeyCache, type RevocationSignal } from './key-cache.ts';
import { mapUniqueViolation } from './errors.ts';
import { precompile } from './precompiled.ts';
import type { AddressBookRow, ApiKeyRow, CustomFieldRow, Database, GroupRow } from './tables.ts';

/** Accounts, keys, address books, custom fields and groups: small tables with plain mappings. */

export class KyselyAccountRepository implements AccountRepository {
  constructor(private readonly db: Kysely<Database>) {}
  async insert(account: Account): Promise<void> {
    await this.db.insertInto('accounts').values(account).execute();
  }
  async find(id: string): Promise<Account | undefined> {
    return this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async list(): Promise<Account[]> {
    return this.db.selectFrom('accounts').selectAll().orderBy('created_at').execute();
  }
}

export class KyselyApiKeyRepository implements ApiKeyRepository {
  /** Whether this (transaction's) repository revoked a key: the store signals it again after the commit. */
  revokedAny = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: EngineName,
    /** Outside transactions only: a transaction reads what it wrote. */
    private readonly cache?: KeyCache,
    private readonly revocations?: RevocationSignal,
  ) {}
  async insert(key: ApiKey, secretHash: string): Promise<void> {
    await this.db.insertInto('api_keys').values({ ...key, scopes: key.scopes.join(','), secret_hash: secretHash }).execute();
  }
  async findBySecretHash(secretHash: string): Promise<ApiKey | undefined> {
    const read = async () => {
      const [row] = await selectKeyBySecretHash(this.db, secretHash);
      return row && keyFromRow(row);
    };
    return this.cache ? this.cache.find(secretHash, read) : read();
  }
  async find(id: string): Promise<ApiKey | undefined> {
    const row = await this.findRow(id);
    return row && keyFromRow(row);
  }
  async findWithSecretHash(id: string): Promise<{ key: ApiKey; secretHash: string } | undefined> {
    const row = await this.findRow(id);
    return row && { key: keyFromRow(row), secretHash: row.secret_hash };
  }
  private findRow(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async list(accountId: string): Promise<ApiKey[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute();
    return rows.map(keyFromRow);
  }
  async revoke(id: string, at: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).execute();
    // Every node's cache is dropped when this commits (delivered with the commit, or not at all).
    if (this.engine === 'postgres') await sql`select pg_notify(${REVOCATION_CHANNEL}, ${id})`.execute(this.db);
    this.revokedAny = true;
    this.revocations?.revoked();
  }
}

const selectKeyBySecretHash = precompile<[string], ApiKeyRow>('api_keys.by_hash', (db) => db.selectFrom('api_keys').selectAll().where('secret_hash', '=', ''));

function keyFromRow({ secret_hash: _hash, ...row }: ApiKeyRow): ApiKey {
  return { ...row, scopes: row.scopes.split(',') as Scope[] };
}

export class KyselyAddressBookRepository implements AddressBookRepository {
  constructor(private readonly db: Kysely<Database>) {}
  async insert(book: Omit<AddressBook, 'seq'>): Promise<AddressBook> {
    const { seq } = await mapUniqueViolation(
      () => this.db.insertInto('address_books').values({ ...book, is_default: book.is_default ? 1 : 0 }).returning('seq').executeTakeFirstOrThrow(),
      'duplicate_address_book',
      `an address book named "${book.name}" already exists`,
    );
    return { ...book, seq: Number(seq) };
  }
  async update(book: AddressBook): Promise<AddressBook> {
    const { seq: _seq, ...values } = book;
    await mapUniqueViolation(
      () => this.db.updateTable('address_books').set({ ...values, is_default: book.is_default ? 1 : 0 }).where('id', '=', book.id).execute(),
      'duplicate_address_book',
      `an address book named "${book.name}" already exists`,
    );
    return book;
  }
  async delete(accountId: string, id: string): Promise<void> {
    await this.db.deleteFrom('address_books').where('account_id', '=', accountId).where('id', '=', id).execute();
  }
  async find(accountId: string, id: string): Promise<AddressBook | undefined> {
    const row = await this.db.selectFrom('address_books').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    return row && bookFromRow(row);
  }
  async findBySeq(accountId: string, seq: number): Promise<AddressBook | undefined> {
    if (!isPossibleSeq(seq)) return undefined;
    const row = await this.db.selectFrom('address_books').selectAll().where('account_id', '=', accountId).where('seq', '=', seq).executeTakeFirst();
    return row && bookFromRow(row);
  }
  async findByName(accountId: string, name: string): Promise<AddressBook | undefined> {
    const row = await this.db.selectFrom('address_books').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
    return row && bookFromRow(row);
  }
  async findDefault(accountId: string): Promise<AddressBook | undefined> {
    const row = await this.db.selectFrom('address_books').selectAll().where('account_id', '=', accountId).where('is_default', '=', 1).executeTakeFirst();
    return row && bookFromRow(row);
  }
  async list(accountId: string, page: PageRequest): Promise<Page<AddressBook>> {
    let query = this.db.selectFrom('address_books').selectAll().where('account_id', '=', accountId);
    if (page.afterSeq !== undefined) query = query.where('seq', '>', page.afterSeq);
    const rows = await query.orderBy('seq').limit(page.limit + 1).execute();
    return pageOf(rows.map(bookFromRow), page.limit);
  }
  async listInUnit(accountId: string, unitId: string, page: PageRequest): Promise<Page<AddressBook>> {
    let query = this.db.selectFrom('address_books').selectAll().where('account_id', '=', accountId).where('unit_id', '=', unitId);
    if (page.afterSeq !== undefined) query = query.where('seq', '>', page.afterSeq);
    const rows = await query.orderBy('seq').limit(page.limit + 1).execute();
    return pageOf(rows.map(bookFromRow), page.limit);
  }
}

function bookFromRow(row: AddressBookRow): AddressBook {
  return { ...row, seq: Number(row.seq), is_default: row.is_default === 1, duplicate_policy: row.duplicate_policy as AddressBook['duplicate_policy'], unit_id: row.unit_id ?? '' };
}

export class KyselyCustomFieldRepository implements CustomFieldRepository {
  constructor(private readonly db: Kysely<Database>) {}
  async insert(field: Omit<CustomField, 'seq'>): Promise<CustomField> {
    const { seq } = await mapUniqueViolation(
      () => this.db.insertInto('custom_fields').values(fieldToRow(field)).returning('seq').executeTakeFirstOrThrow(),
      'duplicate_custom_field',
      `a custom field with key "${field.key}" already exists`,
    );
    return { ...field, seq: Number(seq) };
  }
  async delete(accountId: string, key: string): Promise<void> {
    await this.db.deleteFrom('custom_fields').where('account_id', '=', accountId).where('key', '=', key).execute();
  }
  async update(field: CustomField): Promise<CustomField> {
    const { seq: _seq, id: _id, account_id: _account, key: _key, created_at: _created, ...values } = fieldToRow(field);
    await this.db.updateTable('custom_fields').set(values).where('account_id', '=', field.account_id).where('id', '=', field.id).execute();
    return field;
  }
  async findByKey(accountId: string, key: string): Promise<CustomField | undefined> {
    const row = await this.db.selectFrom('custom_fields').selectAll().where('account_id', '=', accountId).where('key', '=', key).executeTakeFirst();
    return row && fieldFromRow(row);
  }
  async listAll(accountId: string): Promise<CustomField[]> {
    const rows = await this.db.selectFrom('custom_fields').selectAll().where('account_id', '=', accountId).orderBy('seq').execute();
    return rows.map(fieldFromRow);
  }
}

function fieldToRow({ group, options, name: _name, default_value, address_book_ids, flags, ...field }: Omit<CustomField, 'seq'> & { seq?: number }) {
  return {
    ...field,
    group_name: group,
    options: options === null ? null : JSON.stringify(options),
    default_value: default_value === null ? null : JSON.stringify(default_value),
    address_book_ids: JSON.stringify(address_book_ids),
    flags: JSON.stringify(flags),
  };
}

function fieldFromRow({ group_name, options, default_value, address_book_ids, flags, ...row }: CustomFieldRow): CustomField {
  return {
    ...row,
    seq: Number(row.seq),
    data_type: row.data_type as CustomField['data_type'],
    group: group_name,
    options: options === null ? null : JSON.parse(options),
    name: row.label ?? row.key,
    default_value: default_value === null ? null : JSON.parse(default_value),
    address_book_ids: JSON.parse(address_book_ids),
    flags: JSON.parse(flags),
  };
}

export class KyselyGroupRepository implements GroupRepository {
  constructor(private readonly db: Kysely<Database>) {}
  async insert(group: Omit<Group, 'seq'>): Promise<Group> {
    const { seq } = await mapUniqueViolation(
      () => this.db.insertInto('groups').values({ ...group, is_blocklist: group.is_blocklist ? 1 : 0 }).returning('seq').executeTakeFirstOrThrow(),
      'duplicate_group',
      `a group named "${group.name}" already exists`,
    );
    return { ...group, seq: Number(seq) };
  }
  async update(group: Group): Promise<Group> {
    const { seq: _seq, ...values } = group;
    await mapUniqueViolation(
      () => this.db.updateTable('groups').set({ ...values, is_blocklist: group.is_blocklist ? 1 : 0 }).where('id', '=', group.id).execute(),
      'duplicate_group',
      `a group named "${group.name}" already exists`,
    );
    return group;
  }
  async delete(accountId: string, id: string): Promise<void> {
    await this.db.deleteFrom('groups').where('account_id', '=', accountId).where('id', '=', id).execute();
  }
  async find(accountId: string, id: string): Promise<Group | undefined> {
    const row = await this.db.selectFrom('groups').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    return row && groupFromRow(row);
  }
  async findBySeq(accountId: string, seq: number): Promise<Group | undefined> {
    if (!isPossibleSeq(seq)) return undefined;
    const row = await this.db.selectFrom('groups').selectAll().where('account_id', '=', accountId).where('seq', '=', seq).executeTakeFirst();
    return row && groupFromRow(row);
  }
  async findByName(accountId: string, name: string): Promise<Group | undefined> {
    const row = await this.db.selectFrom('groups').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
    return row && groupFromRow(row);
  }
  async findMany(accountId: string, ids: string[]): Promise<Group[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('groups').selectAll().where('account_id', '=', accountId).where('id', 'in', ids).execute();
    return rows.map(groupFromRow);
  }
  async list(accountId: string, page: PageRequest): Promise<Page<Group>> {
    let query = this.db.selectFrom('groups').selectAll().where('account_id', '=', accountId);
    if (page.afterSeq !== undefined) query = query.where('seq', '>', page.afterSeq);
    const rows = await query.orderBy('seq').limit(page.limit + 1).execute();
    return pageOf(rows.map(groupFromRow), page.limit);
  }
  async memberContactIds(accountId: string, groupId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('group_members as m')
      .innerJoin('contacts as c', 'c.seq', 'm.contact_seq')
      .select('c.id')
      .where('m.account_id', '=', accountId)
      .where('m.group_id', '=', groupId)
      .execute();
    return rows.map((r) => r.id);
  }
  async countMembers(accountId: string, groupId: string): Promise<number> {
    const { count } = await this.db
      .selectFrom('group_members')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .where('group_id', '=', groupId)
      .executeTakeFirstOrThrow();
    return Number(count);
  }
  async search(accountId: string, query: { nameContains?: string }, page: { limit: number; offset: number }): Promise<{ items: Group[]; total: number }> {
    let select = this.db.selectFrom('groups').where('account_id', '=', accountId);
    if (query.nameContains !== undefined && query.nameContains !== '') {
      const pattern = `%${query.nameContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      select = select.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
    }
    const [rows, { count }] = await Promise.all([
      select.selectAll().orderBy('seq').limit(page.limit).offset(page.offset).execute(),
      select.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(groupFromRow), total: Number(count) };
  }
}

function groupFromRow(row: GroupRow): Group {
  return { ...row, seq: Number(row.seq), is_blocklist: row.is_blocklist === 1 };
}
