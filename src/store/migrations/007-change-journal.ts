import { sql, type Kysely } from 'kysely';
import type { EngineName } from '../engine.ts';

/**
 * The change journal (core/journal): one row per object a write touched, numbered by a counter
 * row per account on SQLite and by a sequence on PostgreSQL (store/change.repository.ts says
 * why they differ); deleted contacts kept whole as tombstones;
 * and the surface a batch job was accepted through, so that its writes are journalled under it.
 */
export async function up(db: Kysely<any>, engine: EngineName): Promise<void> {
  // No cache: each value is handed out in order, so a later flush never takes a lower one.
  if (engine === 'postgres') await sql`create sequence change_position_seq cache 1`.execute(db);
  await db.schema
    .createTable('change_positions')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('changes')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text')
    .addColumn('surface', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('fields', 'text')
    .addColumn('snapshot', 'text')
    .addColumn('meta', 'text')
    .addPrimaryKeyConstraint('changes_pk', ['account_id', 'position'])
    .execute();
  await db.schema.createIndex('changes_object').on('changes').columns(['account_id', 'object_id', 'position']).execute();

  // The live table's columns, plus when the contact was deleted. No unique external id here: a
  // new contact may take a deleted one's, and a restore then says who holds it.
  await db.schema
    .createTable('contact_tombstones')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('address_book_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('merged_into', 'text')
    .addColumn('display_name', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('salutation', 'text')
    .addColumn('company', 'text')
    .addColumn('role', 'text')
    .addColumn('location', 'text')
    .addColumn('timezone', 'text')
    .addColumn('account_number', 'text')
    .addColumn('external_id', 'text')
    .addColumn('country', 'text')
    .addColumn('user_name', 'text')
    .addColumn('employee_id', 'text')
    .addColumn('phone_numbers', 'text', (c) => c.notNull())
    .addColumn('emails', 'text', (c) => c.notNull())
    .addColumn('messaging', 'text', (c) => c.notNull())
    .addColumn('custom_fields', 'text', (c) => c.notNull())
    .addColumn('group_ids', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contact_tombstones_account_seq').on('contact_tombstones').columns(['account_id', 'seq']).execute();
  await db.schema.createIndex('contact_tombstones_deleted_at').on('contact_tombstones').column('deleted_at').execute();

  await db.schema.alterTable('batch_jobs').addColumn('surface', 'text', (c) => c.notNull().defaultTo('native')).execute();
}
