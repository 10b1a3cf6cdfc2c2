import type { ListShape } from '../../core/ports.ts';
import { CONTACT_TEXT_FIELDS, type Contact, type CustomField } from '../../core/types.ts';

/**
 * The native CSV layout: what `GET /v1/contacts/export?format=csv` writes and the import reads
 * back by header. One column per field, numbered columns for each phone, email and messaging
 * handle up to the most any exported contact holds (the primary phone and email first), one
 * column per custom field the account defines.
 */

/** The text fields after `id`, `external_id` and `type`, in the API's order. */
export const CSV_TEXT_FIELDS = CONTACT_TEXT_FIELDS.filter((f) => f !== 'external_id');

/** Several group names in one cell, as Google Contacts joins several values. */
export const GROUP_SEPARATOR = ' ::: ';

/** A contact as the CSV lays it out: the primary phone and email first, since a CSV has no column to mark them. */
export interface CsvContact {
  contact: Contact;
  phones: Contact['phone_numbers'];
  emails: Contact['emails'];
}

export function csvContactOf(contact: Contact): CsvContact {
  return { contact, phones: primaryFirst(contact.phone_numbers), emails: primaryFirst(contact.emails) };
}

/** One column: its header and how a contact's cell is written. */
interface Column {
  header: string;
  cell(row: CsvContact): string;
}

/** The columns for an export of this shape, in order. */
export function csvColumns(shape: ListShape, customFields: CustomField[], names: { groups: Map<string, string>; books: Map<string, string> }): Column[] {
  const text = (value: string | null | undefined) => value ?? '';
  return [
    { header: 'id', cell: ({ contact }) => contact.id },
    { header: 'external_id', cell: ({ contact }) => text(contact.external_id) },
    { header: 'type', cell: ({ contact }) => contact.type },
    ...CSV_TEXT_FIELDS.map((field) => ({ header: field, cell: ({ contact }: CsvContact) => text(contact[field]) })),
    ...numbered(shape.phones, (n, at) => [
      { header: `phone_${n}`, cell: (r) => text(at(r.phones)?.e164) },
      { header: `phone_${n}_type`, cell: (r) => text(at(r.phones)?.type) },
      { header: `phone_${n}_label`, cell: (r) => text(at(r.phones)?.label) },
      { header: `phone_${n}_extension`, cell: (r) => text(at(r.phones)?.extension) },
    ]),
    ...numbered(shape.emails, (n, at) => [
      { header: `email_${n}`, cell: (r) => text(at(r.emails)?.address) },
      { header: `email_${n}_type`, cell: (r) => text(at(r.emails)?.type) },
    ]),
    ...numbered(shape.messaging, (n, at) => [
      { header: `messaging_${n}_channel`, cell: (r) => text(at(r.contact.messaging)?.channel) },
      { header: `messaging_${n}_handle`, cell: (r) => text(at(r.contact.messaging)?.handle) },
    ]),
    { header: 'groups', cell: ({ contact }) => contact.group_ids.map((id) => names.groups.get(id)).filter((n) => n !== undefined).join(GROUP_SEPARATOR) },
    ...customFields.map((field) => ({ header: `custom_fields.${field.key}`, cell: ({ contact }: CsvContact) => customCell(contact.custom_fields[field.key]) })),
    { header: 'address_book', cell: ({ contact }) => text(names.books.get(contact.address_book_id)) },
    { header: 'created_at', cell: ({ contact }) => contact.created_at },
    { header: 'updated_at', cell: ({ contact }) => contact.updated_at },
  ];
}

/** Columns 1..count, each group made by `make` with its number and a picker of the n-th list item. */
function numbered(count: number, make: (n: number, at: <T>(list: T[]) => T | undefined) => Column[]): Column[] {
  return Array.from({ length: count }, (_, i) => make(i + 1, (list) => list[i])).flat();
}

function primaryFirst<T extends { is_primary: boolean }>(items: T[]): T[] {
  const index = items.findIndex((item) => item.is_primary);
  return index <= 0 ? items : [items[index]!, ...items.slice(0, index), ...items.slice(index + 1)];
}

/** Numbers plain, booleans as true/false; dates, date-times and the rest are stored as their ISO text already. */
function customCell(value: string | number | boolean | undefined): string {
  return value === undefined ? '' : String(value);
}
