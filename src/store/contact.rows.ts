import { encodeCursor } from '../core/cursor.ts';
import { CONTACT_TEXT_FIELDS, type Contact, type ContactText, type Page } from '../core/types.ts';
import type { ContactRow } from './tables.ts';

/** How contacts become rows and back, and the small helpers of writing many rows at once. */

/** SQLite binds at most 32766 parameters a statement, PostgreSQL 65535: stay under both. */
export function rowsPerStatement(columns: number): number {
  return Math.floor(30_000 / columns);
}

export function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** A page of `limit` items from `limit + 1` rows: the extra row only says that more exist. */
export function pageOf<T extends { seq: number }>(items: T[], limit: number): Page<T> {
  const more = items.length > limit;
  const page = more ? items.slice(0, limit) : items;
  return { items: page, nextCursor: more ? encodeCursor(page[page.length - 1]!.seq) : null };
}

/** A contact with every field, to compile the insert from. */
export const SAMPLE_CONTACT: Omit<Contact, 'seq'> = {
  ...(Object.fromEntries(CONTACT_TEXT_FIELDS.map((f) => [f, null])) as ContactText),
  id: '', account_id: '', address_book_id: '', type: 'custom', status: 'active', merged_into: null,
  phone_numbers: [], emails: [], messaging: [], custom_fields: {}, group_ids: [], version: 1, created_at: '', updated_at: '',
};

/** The contacts row of a contact; its key order is the insert's parameter order. */
export function toRow(c: Omit<Contact, 'seq'>) {
  return {
    id: c.id,
    account_id: c.account_id,
    address_book_id: c.address_book_id,
    type: c.type,
    status: c.status,
    merged_into: c.merged_into,
    display_name: c.display_name,
    first_name: c.first_name,
    last_name: c.last_name,
    salutation: c.salutation,
    company: c.company,
    role: c.role,
    location: c.location,
    timezone: c.timezone,
    account_number: c.account_number,
    external_id: c.external_id,
    country: c.country,
    user_name: c.user_name,
    employee_id: c.employee_id,
    phone_numbers: JSON.stringify(c.phone_numbers),
    emails: JSON.stringify(c.emails),
    messaging: JSON.stringify(c.messaging),
    custom_fields: JSON.stringify(c.custom_fields),
    group_ids: JSON.stringify(c.group_ids),
    version: c.version,
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

export function fromRow(row: ContactRow): Contact {
  return {
    ...row,
    seq: Number(row.seq),
    type: row.type as Contact['type'],
    status: row.status as Contact['status'],
    phone_numbers: JSON.parse(row.phone_numbers),
    emails: JSON.parse(row.emails),
    messaging: JSON.parse(row.messaging),
    custom_fields: JSON.parse(row.custom_fields),
    group_ids: JSON.parse(row.group_ids),
  };
}
